//! Elections through the API: the list checked against Điều 14, the board, two tellers'
//! entries compared ballot by ballot, the head's resolution, the result by Điều 30, a tie
//! that waits for the presidium, and the per-ballot record that keeps no teller or order.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::both_backends;
use crate::harness::{TestApp, csrf_of, page, post_form, sign_in};

both_backends!(
    the_list_freezes_when_entries_start_and_a_count_never_locks,
    tellers_type_each_ballot_and_the_head_resolves_on_the_pages,
    two_entries_agree_or_the_head_resolves_them,
    the_list_follows_article_14_and_the_board_article_8,
    a_tie_for_the_last_seat_waits_for_the_presidium
);

const BLOC: &str = "DUK-CCQ";

async fn user_id(app: &TestApp, token: &str) -> i64 {
    let (_, me) = app.get(token, "/api/v1/me").await;
    me["user"]["id"].as_i64().expect("user id")
}

fn field_names(body: &Value) -> Vec<String> {
    body["error"]["fields"]
        .as_array()
        .map_or_else(Vec::new, |f| f.iter().map(|f| f["field"].as_str().unwrap_or_default().to_owned()).collect())
}

/// A members' congress of the bloc electing 4 of 5 (a surplus of one, the most for a body of
/// 3–5), 10 summoned and one absent with a reason: base 9, threshold 5.
async fn prepare(app: &TestApp, organiser: &str) -> (i64, Vec<i64>) {
    let bloc = app.org_id(BLOC).await;
    let (status, e) = app
        .post(
            organiser,
            "/api/v1/elections",
            json!({"org_id": bloc, "title": "Bầu Ban Chấp hành khóa mới", "kind": "members_congress", "seats": 4,
                   "ballot": "surplus",
                   "candidates": [{"full_name": "Nguyễn Văn An"}, {"full_name": "Trần Thị Bình"},
                                  {"full_name": "Lê Văn Cường"}, {"full_name": "Phạm Thị Dung"},
                                  {"full_name": "Hoàng Văn Em"}],
                   "electors": {"summoned": 10, "excluded": {"absent_with_reason": 1}}}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{e}");
    assert_eq!((e["base"].as_i64(), e["threshold"].as_i64()), (Some(9), Some(5)));
    let ids = e["candidates"].as_array().unwrap().iter().map(|c| c["id"].as_i64().unwrap()).collect();
    (e["id"].as_i64().unwrap(), ids)
}

/// Head `vanphong`, tellers `lanhdao` and `tochuc`.
async fn seat_board(app: &TestApp, organiser: &str, election: i64) -> (String, String, String) {
    let (head, t1, t2) = (app.login("vanphong").await, app.login("lanhdao").await, app.login("tochuc").await);
    for (token, role) in [(&head, "head"), (&t1, "teller"), (&t2, "teller")] {
        let id = user_id(app, token).await;
        let (status, board) = app
            .post(organiser, &format!("/api/v1/elections/{election}/board"), json!({"user_id": id, "role": role}))
            .await;
        assert_eq!(status, StatusCode::OK, "{board}");
    }
    (head, t1, t2)
}

async fn enter(app: &TestApp, token: &str, election: i64, issued: u32, ballots: &[Vec<i64>]) -> (StatusCode, Value) {
    app.post(
        token,
        &format!("/api/v1/elections/{election}/entries"),
        json!({"issued": issued, "returned": ballots.len(), "ballots": ballots}),
    )
    .await
}

/// Runs `dangvu election verify` on a record file: the exit code and what it printed.
fn verify(file: &Value) -> (i32, String) {
    let path = std::env::temp_dir().join(format!("dangvu-record-{}.json", std::process::id()));
    std::fs::write(&path, file.to_string()).unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_dangvu"))
        .args(["election", "verify"])
        .arg(&path)
        .output()
        .expect("run dangvu");
    std::fs::remove_file(&path).ok();
    let text = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    (out.status.code().unwrap_or(-1), text)
}

async fn two_entries_agree_or_the_head_resolves_them(app: TestApp) {
    let organiser = app.login("khoi").await;
    let (election, c) = prepare(&app, &organiser).await;
    let (head, t1, t2) = seat_board(&app, &organiser, election).await;
    // Nine ballots returned of ten issued: A kept on all, B on 7, C on 5, D on 4, E on 3;
    // the eighth keeps all five (more than the seats: invalid), the ninth nobody (invalid).
    let (a, b, cc, d, e) = (c[0], c[1], c[2], c[3], c[4]);
    let mut ballots = vec![
        vec![a, b, cc, d],
        vec![a, b, cc, e],
        vec![a, b, cc, d],
        vec![a, b, cc, e],
        vec![a, b, cc, d],
        vec![a, b, d, e],
        vec![a, b],
        vec![a, b, cc, d, e],
        vec![],
    ];
    // A member of the board who is not a teller enters nothing.
    assert_eq!(enter(&app, &head, election, 10, &ballots).await.0, StatusCode::FORBIDDEN);
    // More ballots entered than returned is refused, naming the numbers.
    let (status, body) = app
        .post(
            &t1,
            &format!("/api/v1/elections/{election}/entries"),
            json!({"issued": 10, "returned": 8, "ballots": ballots}),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert!(field_names(&body).contains(&"ballots".to_owned()), "{body}");

    let (status, saved) = enter(&app, &t1, election, 10, &ballots).await;
    assert_eq!((status, saved["status"].as_str()), (StatusCode::CREATED, Some("awaiting_entries")), "{saved}");
    let (_, result) = app.get(&t1, &format!("/api/v1/elections/{election}/result")).await;
    assert_eq!(result["status"], "awaiting_entries");
    let (status, _) = app.get(&t1, &format!("/api/v1/elections/{election}/minutes")).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "no minutes before the count is agreed");
    assert_eq!(result["candidates"][0]["votes"], Value::Null, "nothing is counted from one entry");

    // The second teller reads ballot 6 differently (E kept where the first read D).
    let mut misread = ballots.clone();
    misread[5] = vec![a, b, cc, e];
    let (_, saved) = enter(&app, &t2, election, 10, &misread).await;
    assert_eq!(saved["status"], "entries_differ");
    let (_, entries) = app.get(&head, &format!("/api/v1/elections/{election}/entries")).await;
    assert_eq!(entries["differ"], true);
    assert_eq!(entries["differing"], json!([6]));
    assert_eq!(entries["entries"].as_array().unwrap().len(), 2);
    // Only the head resolves, and only the ballots that differ.
    let url = format!("/api/v1/elections/{election}/resolve");
    assert_eq!(app.post(&t1, &url, json!({"picks": [{"ballot": 6, "keep": "first"}]})).await.0, StatusCode::FORBIDDEN);
    let (status, body) = app.post(&head, &url, json!({"picks": [{"ballot": 5, "keep": "first"}]})).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    let (status, body) = app.post(&head, &url, json!({"picks": [{"ballot": 6, "keep": "first"}]})).await;
    assert_eq!((status, body["status"].as_str()), (StatusCode::OK, Some("final")), "{body}");

    let (_, result) = app.get(&t2, &format!("/api/v1/elections/{election}/result")).await;
    assert_eq!(result["status"], "final");
    assert_eq!((result["issued"].as_i64(), result["returned"].as_i64()), (Some(10), Some(9)));
    assert_eq!((result["valid"].as_i64(), result["invalid"].as_i64()), (Some(7), Some(2)), "{result}");
    let votes: Vec<i64> =
        result["candidates"].as_array().unwrap().iter().map(|c| c["votes"].as_i64().unwrap()).collect();
    assert_eq!(votes, vec![7, 7, 5, 4, 3], "{result}");
    let elected: Vec<bool> =
        result["candidates"].as_array().unwrap().iter().map(|c| c["elected"].as_bool().unwrap()).collect();
    // Threshold 5 of a base of 9: A, B and C pass; D has 4: one seat is left for a further round.
    assert_eq!(elected, vec![true, true, true, false, false]);
    assert_eq!(result["seats_unfilled"], 1);
    assert_eq!(result["record_fingerprint"].as_str().map(str::len), Some(64));
    assert_eq!(result["result_fingerprint"].as_str().map(str::len), Some(64));

    // The record keeps the ballots sorted and nothing else; the entries' ballots are gone.
    let row = app
        .db
        .query_one("SELECT COUNT(*) FROM election_ballots WHERE election_id = $1", dangvu_store::params![election])
        .await
        .unwrap()
        .unwrap();
    assert_eq!(row.int(0).unwrap(), 9);
    let left = app.db.query_one("SELECT COUNT(*) FROM election_entry_ballots", &[]).await.unwrap().unwrap();
    assert_eq!(left.int(0).unwrap(), 0);
    // One seat is left: the congress keeps D for a further round on a ballot with no surplus;
    // someone elected cannot stand again.
    let further = format!("/api/v1/elections/{election}/further-round");
    let (status, body) = app.post(&organiser, &further, json!({"candidate_ids": [a, d], "ballot": "approval"})).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    let (status, next) = app.post(&organiser, &further, json!({"candidate_ids": [d], "ballot": "approval"})).await;
    assert_eq!(status, StatusCode::CREATED, "{next}");
    assert_eq!((next["seats"].as_i64(), next["previous_id"].as_i64()), (Some(1), Some(election)));
    assert_eq!(next["candidates"][0]["full_name"], "Phạm Thị Dung");
    assert_eq!(next["base"], 9, "the same electors");
    // The ballot paper, for the board and the staff.
    let res = app
        .http
        .get(app.url(&format!("/api/v1/elections/{election}/ballot?paper=a4")))
        .bearer_auth(&t1)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert!(res.bytes().await.unwrap().starts_with(b"%PDF"));
    // The minutes, as PDF and DOCX.
    for (format, magic, kind) in [("pdf", &b"%PDF"[..], "application/pdf"), ("docx", &b"PK"[..], "wordprocessingml")] {
        let res = app
            .http
            .get(app.url(&format!("/api/v1/elections/{election}/minutes?format={format}")))
            .bearer_auth(&t2)
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), StatusCode::OK);
        assert!(res.headers()["content-type"].to_str().unwrap().contains(kind));
        assert!(res.bytes().await.unwrap().starts_with(magic));
    }
    // The record recounts offline to the same result, and a forged one is caught.
    let (status, file) = app.get(&head, &format!("/api/v1/elections/{election}/record")).await;
    assert_eq!(status, StatusCode::OK, "{file}");
    assert_eq!(file["record_fingerprint"], result["record_fingerprint"]);
    assert_eq!(file["record"]["ballots"].as_array().unwrap().len(), 9);
    assert_eq!(app.get(&t1, &format!("/api/v1/elections/{election}/record")).await.0, StatusCode::FORBIDDEN);
    let (code, out) = verify(&file);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains(result["result_fingerprint"].as_str().unwrap()), "{out}");
    let mut forged = file.clone();
    forged["stated"]["elected"] = json!([1, 2, 4]);
    let (code, out) = verify(&forged);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("elected"), "{out}");
    // Once final, nobody enters again; the head seals it.
    ballots.pop();
    assert_eq!(enter(&app, &t1, election, 10, &ballots).await.0, StatusCode::UNPROCESSABLE_ENTITY);
    let (status, sealed) = app.post(&head, &format!("/api/v1/elections/{election}/seal"), json!({})).await;
    assert_eq!((status, sealed["status"].as_str()), (StatusCode::OK, Some("sealed")), "{sealed}");
    // The audit log has both entries, each with its totals, not its ballots.
    let (_, log) = app.get(&app.login("admin").await, "/api/v1/audit?limit=200").await;
    let entries: Vec<&Value> = log["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["action"] == "election.entry" && e["entity_id"] == election)
        .collect();
    assert_eq!(entries.len(), 2, "each teller's entry; the refused ones wrote nothing");
    assert!(entries.iter().all(|e| e["after"]["fingerprint"].as_str().is_some() && e["after"]["ballots"] == 9));
}

async fn the_list_follows_article_14_and_the_board_article_8(app: TestApp) {
    let organiser = app.login("khoi").await;
    let bloc = app.org_id(BLOC).await;
    let url = "/api/v1/elections";
    // 7 seats: a surplus of 2 (30 %) is the most.
    let names = |n: usize| (0..n).map(|i| json!({"full_name": format!("Ứng cử viên {i}")})).collect::<Vec<_>>();
    let base = |seats: u32, n: usize, ballot: &str| {
        json!({"org_id": bloc, "title": "Bầu", "kind": "delegates_congress", "seats": seats, "ballot": ballot,
               "candidates": names(n), "electors": {"summoned": 100}})
    };
    assert_eq!(app.post(&organiser, url, base(7, 10, "surplus")).await.0, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(app.post(&organiser, url, base(7, 7, "surplus")).await.0, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(app.post(&organiser, url, base(1, 2, "approval")).await.0, StatusCode::UNPROCESSABLE_ENTITY);
    let mut wrong_reason = base(7, 9, "surplus");
    wrong_reason["electors"]["excluded"] = json!({"temporary_transfer": 2});
    let (status, body) = app.post(&organiser, url, wrong_reason).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(field_names(&body).contains(&"electors.excluded".to_owned()), "{body}");
    // A viewer prepares nothing.
    assert_eq!(app.post(&app.login("lanhdao").await, url, base(7, 9, "surplus")).await.0, StatusCode::FORBIDDEN);
    let (status, e) = app.post(&organiser, url, base(7, 9, "surplus")).await;
    assert_eq!(status, StatusCode::CREATED, "{e}");
    let election = e["id"].as_i64().unwrap();
    assert_eq!(e["threshold"], 51);

    // A nomination from the floor needs more than 30 % of those present.
    let nominate = format!("/api/v1/elections/{election}/candidates");
    let member = app.login("dangvien").await;
    let (_, me) = app.get(&member, "/api/v1/me").await;
    let member_id = me["user"]["member_id"].as_i64().expect("the demo member");
    let (status, body) = app
        .post(
            &organiser,
            &nominate,
            json!({"full_name": "Người tự ứng cử", "member_id": member_id, "present": 100, "agreed": 30}),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert!(field_names(&body).contains(&"agreed".to_owned()));
    let (status, e) = app
        .post(
            &organiser,
            &nominate,
            json!({"full_name": "Người tự ứng cử", "member_id": member_id, "present": 100, "agreed": 31}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{e}");
    assert_eq!(e["candidates"].as_array().unwrap().len(), 10);
    assert_eq!(e["candidates"][9]["from_floor"], true);

    // Someone on the list does not sit on the counting board.
    let member_user = user_id(&app, &member).await;
    let board = format!("/api/v1/elections/{election}/board");
    let (status, body) = app.post(&organiser, &board, json!({"user_id": member_user, "role": "teller"})).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    // One head only.
    let (head, other) =
        (user_id(&app, &app.login("vanphong").await).await, user_id(&app, &app.login("tochuc").await).await);
    assert_eq!(app.post(&organiser, &board, json!({"user_id": head, "role": "head"})).await.0, StatusCode::OK);
    assert_eq!(
        app.post(&organiser, &board, json!({"user_id": other, "role": "head"})).await.0,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    assert_eq!(app.post(&organiser, &board, json!({"user_id": other, "role": "teller"})).await.0, StatusCode::OK);
    // The list is now over 30 %: the count waits until the congress chooses whom to keep.
    let teller = app.login("tochuc").await;
    let (status, body) = app
        .post(
            &teller,
            &format!("/api/v1/elections/{election}/entries"),
            json!({"issued": 1, "returned": 1, "ballots": [[]]}),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert!(field_names(&body).contains(&"candidates".to_owned()), "{body}");
    // The congress takes the third name off: the names after it move up one number.
    let third = e["candidates"][2]["id"].as_i64().unwrap();
    let (status, e) = app
        .post(
            &organiser,
            &format!("/api/v1/elections/{election}/candidates/{third}/withdraw"),
            json!({"reason": "Đại hội biểu quyết giữ lại 9 người"}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{e}");
    let numbers: Vec<i64> = e["candidates"].as_array().unwrap().iter().map(|c| c["number"].as_i64().unwrap()).collect();
    assert_eq!(numbers, (1..=9).collect::<Vec<_>>());
    assert!(e["candidates"].as_array().unwrap().iter().all(|c| c["id"] != third));
    let (status, body) = app
        .post(
            &teller,
            &format!("/api/v1/elections/{election}/entries"),
            json!({"issued": 1, "returned": 1, "ballots": [[]]}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "the list is within the rules again: {body}");
    // The organisation's elections are listed for those in scope.
    let (status, list) = app.get(&organiser, &format!("/api/v1/elections?org_id={bloc}")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(list["items"].as_array().unwrap().iter().any(|e| e["id"] == election));
}

async fn a_tie_for_the_last_seat_waits_for_the_presidium(app: TestApp) {
    let organiser = app.login("khoi").await;
    let (election, c) = prepare(&app, &organiser).await;
    let (head, t1, t2) = seat_board(&app, &organiser, election).await;
    // A, B and C have 8 votes each, D and E 6 each: both pass 5 of 9 and tie for the fourth seat.
    let (a, b, cc, d, e) = (c[0], c[1], c[2], c[3], c[4]);
    let ballots = vec![
        vec![a, b, cc, d],
        vec![a, b, cc, e],
        vec![a, b, cc, d],
        vec![a, b, cc, e],
        vec![a, b, cc, d],
        vec![a, b, cc, e],
        vec![a, b, d, e],
        vec![a, cc, d, e],
        vec![b, cc, d, e],
    ];
    assert_eq!(enter(&app, &t1, election, 9, &ballots).await.1["status"], "awaiting_entries");
    let (_, saved) = enter(&app, &t2, election, 9, &ballots).await;
    assert_eq!(saved["status"], "tie", "{saved}");
    let (_, result) = app.get(&head, &format!("/api/v1/elections/{election}/result")).await;
    assert_eq!(result["status"], "tie");
    assert_eq!(result["tied"], json!([d, e]), "{result}");
    assert_eq!(result["tied_seats"], 1);
    assert_eq!(result["result_fingerprint"], Value::Null, "no result is final before the decision");
    let url = format!("/api/v1/elections/{election}/tie-decision");
    let (status, _) = app.post(&head, &url, json!({"elected": [a], "note": "Đoàn chủ tịch quyết định"})).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "A is not tied");
    let (status, _) = app.post(&head, &url, json!({"elected": [d, e], "note": "Đoàn chủ tịch quyết định"})).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "one seat is left");
    assert_eq!(app.post(&t1, &url, json!({"elected": [d], "note": "x"})).await.0, StatusCode::FORBIDDEN);
    let (status, body) = app
        .post(&head, &url, json!({"elected": [e], "note": "Đoàn chủ tịch quyết định theo biểu quyết của đại hội"}))
        .await;
    assert_eq!((status, body["status"].as_str()), (StatusCode::OK, Some("final")), "{body}");
    let (_, result) = app.get(&head, &format!("/api/v1/elections/{election}/result")).await;
    let elected: Vec<i64> = result["candidates"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["elected"] == true)
        .map(|c| c["id"].as_i64().unwrap())
        .collect();
    assert_eq!(elected, vec![a, b, cc, e]);
    assert_eq!(result["tied"], json!([]));
    assert_eq!(result["result_fingerprint"].as_str().map(str::len), Some(64));
}

/// A signed-in browser: its cookie and a CSRF token from its home page.
async fn browser(app: &TestApp, username: &str) -> (String, String) {
    let cookie = sign_in(app, username).await;
    let (_, home) = page(app, &cookie, "/").await;
    (cookie.clone(), csrf_of(&home))
}

async fn post(
    app: &TestApp,
    who: &(String, String),
    path: &str,
    fields: &[(&str, &str)],
) -> (StatusCode, String, String) {
    let mut form = vec![("csrf", who.1.as_str())];
    form.extend_from_slice(fields);
    post_form(app, &who.0, path, &form).await
}

async fn tellers_type_each_ballot_and_the_head_resolves_on_the_pages(app: TestApp) {
    let bloc = app.org_id(BLOC).await.to_string();
    let organiser = browser(&app, "khoi").await;
    let (status, list) = page(&app, &organiser.0, &format!("/elections?org_id={bloc}")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(list.contains("Lập danh sách bầu cử"));
    // 3 seats of 4 names (a surplus of one for a small body); 5 summoned, base 5, threshold 3.
    let (status, location, body) = post(
        &app,
        &organiser,
        "/elections",
        &[
            ("org_id", &bloc),
            ("title", "Bầu Chi ủy"),
            ("kind", "members_congress"),
            ("ballot", "surplus"),
            ("seats", "3"),
            ("summoned", "5"),
            ("candidates", "Nguyễn Văn An\nTrần Thị Bình\nLê Văn Cường\nPhạm Thị Dung"),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{body}");
    let id: i64 = location.trim_start_matches("/elections/").split('?').next().unwrap().parse().unwrap();
    for (user, role) in [("vanphong", "head"), ("lanhdao", "teller"), ("tochuc", "teller")] {
        let (status, _, body) =
            post(&app, &organiser, &format!("/elections/{id}/board"), &[("username", user), ("role", role)]).await;
        assert_eq!(status, StatusCode::SEE_OTHER, "{body}");
    }
    // Each teller types the numbers of the names struck, ballot by ballot.
    let piles: [[&str; 4]; 2] = [["4", "3", "1 4", "4"], ["4", "2", "1 4", "4"]];
    for (teller, pile) in ["lanhdao", "tochuc"].into_iter().zip(piles) {
        let me = browser(&app, teller).await;
        let (_, entry) = page(&app, &me.0, &format!("/elections/{id}/entry")).await;
        assert!(entry.contains("Bắt đầu nhập phiếu"), "{entry}");
        let start = format!("/elections/{id}/entry/start");
        assert_eq!(post(&app, &me, &start, &[("issued", "5"), ("returned", "4")]).await.0, StatusCode::SEE_OTHER);
        let ballot = format!("/elections/{id}/entry/ballot");
        // A number not on the list is refused and saves nothing.
        let (status, _, body) = post(&app, &me, &ballot, &[("ballot", "7")]).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(body.contains("Phiếu số 1 / 4"), "{body}");
        // A key pressed too soon is taken back.
        post(&app, &me, &ballot, &[("ballot", "2 3")]).await;
        assert_eq!(post(&app, &me, &format!("/elections/{id}/entry/undo"), &[]).await.0, StatusCode::SEE_OTHER);
        for typed in pile {
            assert_eq!(post(&app, &me, &ballot, &[("ballot", typed)]).await.0, StatusCode::SEE_OTHER);
        }
        let (_, entry) = page(&app, &me.0, &format!("/elections/{id}/entry")).await;
        assert!(entry.contains("Đã nhập đủ 4 phiếu"), "{entry}");
        assert_eq!(post(&app, &me, &format!("/elections/{id}/entry/finish"), &[]).await.0, StatusCode::SEE_OTHER);
    }
    // The head sees exactly the ballot read differently, and keeps the first reading.
    let head = browser(&app, "vanphong").await;
    let (_, election) = page(&app, &head.0, &format!("/elections/{id}")).await;
    assert!(election.contains("Phiếu số 2"), "{election}");
    assert!(election.contains("gạch số 3") && election.contains("gạch số 2"), "{election}");
    assert!(!election.contains("Phiếu số 1<"), "only the differing ballot is shown");
    let (status, _, body) = post(&app, &head, &format!("/elections/{id}/resolve"), &[("keep_2", "first")]).await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{body}");
    let (_, election) = page(&app, &head.0, &format!("/elections/{id}")).await;
    // An, Bình and Cường kept on 3, 4 and 3 ballots: each passes 3 of 5; Dung kept on one.
    assert_eq!(election.matches("Trúng cử").count(), 3, "{election}");
    assert!(election.contains("Dấu vân tay kết quả"), "{election}");
}

async fn the_list_freezes_when_entries_start_and_a_count_never_locks(app: TestApp) {
    let organiser = app.login("khoi").await;
    let (election, c) = prepare(&app, &organiser).await;
    let (head, t1, t2) = seat_board(&app, &organiser, election).await;
    // Two tellers only: a third entry would never be compared.
    let third = user_id(&app, &app.login("khoi").await).await;
    let board = format!("/api/v1/elections/{election}/board");
    let (status, body) = app.post(&organiser, &board, json!({"user_id": third, "role": "teller"})).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    let ballots = vec![vec![c[0], c[1], c[2], c[3]], vec![c[0], c[1], c[2], c[4]]];
    let mut other = ballots.clone();
    other[1] = vec![c[0], c[1], c[3], c[4]];
    assert_eq!(enter(&app, &t1, election, 10, &ballots).await.1["status"], "awaiting_entries");
    // Once a teller has entered, the list and the board are frozen.
    let nominate = format!("/api/v1/elections/{election}/candidates");
    let (status, _) = app.post(&organiser, &nominate, json!({"full_name": "Muộn", "present": 10, "agreed": 9})).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let head_id = user_id(&app, &head).await;
    let (status, _) = app.post(&organiser, &board, json!({"user_id": head_id, "role": "teller"})).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(enter(&app, &t2, election, 10, &other).await.1["status"], "entries_differ");
    // The readings of the differing ballot are the head's to see.
    let url = format!("/api/v1/elections/{election}/entries");
    assert_eq!(app.get(&t1, &url).await.1["readings"], json!([]));
    assert_eq!(app.get(&head, &url).await.1["readings"][0]["ballot"], 2);
    // Both tellers start again on the entry page, so that neither entry is finished: the first
    // to finish waits for the other, and the count goes on (it used to lock for good).
    let (b1, b2) = (browser(&app, "lanhdao").await, browser(&app, "tochuc").await);
    for who in [&b1, &b2] {
        let (status, _, body) =
            post(&app, who, &format!("/elections/{election}/entry/start"), &[("issued", "10"), ("returned", "2")])
                .await;
        assert_eq!(status, StatusCode::SEE_OTHER, "{body}");
    }
    let typed = ["5", "4"];
    for (k, who) in [&b1, &b2].into_iter().enumerate() {
        for t in typed {
            post(&app, who, &format!("/elections/{election}/entry/ballot"), &[("ballot", t)]).await;
        }
        let (status, _, body) = post(&app, who, &format!("/elections/{election}/entry/finish"), &[]).await;
        assert_eq!(status, StatusCode::SEE_OTHER, "{body}");
        let (_, result) = app.get(&head, &format!("/api/v1/elections/{election}/result")).await;
        assert_eq!(result["status"], if k == 0 { "awaiting_entries" } else { "final" }, "{result}");
    }
}
