//! Congresses through the API: the congress and its life, drafts in versions compared paragraph
//! by paragraph, comments from a member and on behalf of a cell that follow their quoted text
//! into the next version (or are marked outdated), grouped when the same, disposed with a
//! reason and printed in the "tiếp thu, giải trình" report; who reads which comments.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::both_backends;
use crate::harness::{PASSWORD, TestApp, csrf_of, page, post_form, sign_in};

both_backends!(
    comments_follow_their_text_into_the_next_version_and_are_disposed,
    each_reader_sees_the_comments_that_are_theirs,
    a_congress_opens_only_once_the_committee_above_approves_it,
    a_member_comments_on_the_pages_and_the_office_disposes,
    on_the_cells_own_congress_a_member_still_reads_only_their_own,
    a_unit_below_speaks_only_for_itself,
    a_comment_on_a_whole_paragraph_follows_it_through_a_rewrite,
    a_plan_pushed_down_gives_each_congress_its_milestones_and_the_subtree_its_progress,
    subcommittees_get_people_and_tasks_and_documents_share_one_series,
    the_targets_table_is_data_carried_compared_and_exported,
    a_paper_comment_carries_its_scanned_page
);

/// The Sở Tài chính committee, whose cell `DUK-CCQ-STC-CB01` holds `dangvien` and `bithu`.
const COMMITTEE: &str = "DUK-CCQ-STC";
const CELL: &str = "DUK-CCQ-STC-CB01";

const V1: &str = "I. ĐÁNH GIÁ KẾT QUẢ NHIỆM KỲ 2020-2025\n\n\
Tăng trưởng kinh tế bình quân 7%/năm, vượt chỉ tiêu đề ra.\n\
Công tác xây dựng Đảng được chú trọng; kết nạp 120 đảng viên mới.\n\
Chuyển đổi số còn chậm, chưa đồng bộ.\n";

/// Version 2: a paragraph inserted at the top, the growth figure rewritten, the digital
/// paragraph unchanged.
const V2: &str = "I. ĐÁNH GIÁ KẾT QUẢ NHIỆM KỲ 2020-2025\n\
Nhiệm kỳ qua diễn ra trong bối cảnh nhiều khó khăn.\n\
Tăng trưởng kinh tế bình quân 7,2%/năm, vượt chỉ tiêu đề ra.\n\
Công tác xây dựng Đảng được chú trọng; kết nạp 120 đảng viên mới.\n\
Chuyển đổi số còn chậm, chưa đồng bộ.\n";

fn field_names(body: &Value) -> Vec<String> {
    body["error"]["fields"]
        .as_array()
        .map_or_else(Vec::new, |f| f.iter().map(|f| f["field"].as_str().unwrap_or_default().to_owned()).collect())
}

async fn congress(app: &TestApp, office: &str) -> i64 {
    let org = app.org_id(COMMITTEE).await;
    let (status, c) = app
        .post(
            office,
            "/api/v1/congresses",
            json!({"org_id": org, "title": "Đại hội Đảng bộ Sở Tài chính lần thứ X", "kind": "members",
                   "term": "2025-2030", "opens_on": "2025-06-20", "closes_on": "2025-06-21"}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{c}");
    assert_eq!(c["status"], "preparing");
    c["id"].as_i64().unwrap()
}

async fn draft(app: &TestApp, office: &str, congress: i64) -> i64 {
    let (status, d) = app
        .post(
            office,
            &format!("/api/v1/congresses/{congress}/drafts"),
            json!({"title": "Báo cáo chính trị", "text": V1}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{d}");
    assert_eq!(d["version"], 1);
    let paragraphs: Vec<&str> =
        d["paragraphs"].as_array().unwrap().iter().map(|p| p["text"].as_str().unwrap()).collect();
    assert_eq!(paragraphs.len(), 4, "blank lines are not paragraphs: {paragraphs:?}");
    assert_eq!(d["paragraphs"][1]["number"], 2);
    d["id"].as_i64().unwrap()
}

async fn comment(app: &TestApp, token: &str, draft: i64, body: Value) -> (StatusCode, Value) {
    app.post(token, &format!("/api/v1/drafts/{draft}/comments"), body).await
}

async fn comments_seen(app: &TestApp, token: &str, draft: i64) -> Vec<Value> {
    let (status, list) = app.get(token, &format!("/api/v1/drafts/{draft}/comments")).await;
    assert_eq!(status, StatusCode::OK, "{list}");
    list["items"].as_array().unwrap().clone()
}

async fn comments_follow_their_text_into_the_next_version_and_are_disposed(app: TestApp) {
    let office = app.login("vanphong").await;
    let member = app.login("dangvien").await;
    let secretary = app.login("bithu").await;
    let c = congress(&app, &office).await;
    let d = draft(&app, &office, c).await;
    let cell = app.org_id(CELL).await;

    // The same request from a member and from the cell, and one on a figure that will change.
    let same = "Đề nghị bổ sung chỉ tiêu về chuyển đổi số.";
    let (status, mine) =
        comment(&app, &member, d, json!({"version": 1, "paragraph": 4, "quote": "Chuyển đổi số", "text": same})).await;
    assert_eq!(status, StatusCode::CREATED, "{mine}");
    assert!(mine["member_id"].is_i64(), "{mine}");
    let (status, unit) = comment(
        &app,
        &secretary,
        d,
        json!({"version": 1, "paragraph": 4, "text": "  đề nghị bổ sung chỉ tiêu về chuyển đổi số ",
               "on_behalf_of_org_id": cell, "members_agreeing": 9}),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{unit}");
    assert_eq!(unit["quote"], "Chuyển đổi số còn chậm, chưa đồng bộ.", "no quote: the whole paragraph");
    let (status, figure) = comment(
        &app,
        &member,
        d,
        json!({"version": 1, "paragraph": 2, "quote": "7%/năm", "text": "Ghi rõ nguồn số liệu."}),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{figure}");

    // A quote that is not in the paragraph, a paragraph that does not exist: refused, nothing written.
    let before = app.audit_len().await;
    let (status, body) =
        comment(&app, &member, d, json!({"version": 1, "paragraph": 2, "quote": "8%", "text": "Sai?"})).await;
    assert_eq!((status, field_names(&body)), (StatusCode::UNPROCESSABLE_ENTITY, vec!["quote".to_owned()]));
    let (status, body) = comment(&app, &member, d, json!({"version": 1, "paragraph": 9, "text": "?"})).await;
    assert_eq!((status, field_names(&body)), (StatusCode::UNPROCESSABLE_ENTITY, vec!["paragraph".to_owned()]));
    assert_eq!(app.audit_len().await, before);

    // The same text from two senders is one group of two, one of them a unit.
    let (status, groups) = app.get(&office, &format!("/api/v1/drafts/{d}/paragraphs/4/groups")).await;
    assert_eq!(status, StatusCode::OK, "{groups}");
    assert_eq!(groups["items"].as_array().unwrap().len(), 1, "{groups}");
    assert_eq!((groups["items"][0]["comments"].as_i64(), groups["items"][0]["units"].as_i64()), (Some(2), Some(1)));

    // Version 2: the digital paragraph moved down one; the figure's quote is gone.
    let (status, v2) =
        app.post(&office, &format!("/api/v1/drafts/{d}/versions"), json!({"text": V2, "note": "Tiếp thu lần 1"})).await;
    assert_eq!((status, v2["version"].as_i64()), (StatusCode::CREATED, Some(2)), "{v2}");
    let all = comments_seen(&app, &office, d).await;
    let by_id = |id: &Value| all.iter().find(|c| c["id"] == *id).unwrap().clone();
    let moved = by_id(&mine["id"]);
    assert_eq!(
        (moved["at_version"].as_i64(), moved["at_paragraph"].as_i64(), moved["outdated"].as_bool()),
        (Some(2), Some(5), Some(false))
    );
    assert_eq!(by_id(&figure["id"])["outdated"], true, "7%/năm is no longer in the text");
    assert_eq!(by_id(&unit["id"])["same_text"], 2);

    // A comment typed from a paper on version 1 arrives after version 2: carried on at once.
    let (status, late) = comment(
        &app,
        &secretary,
        d,
        json!({"version": 1, "paragraph": 3, "quote": "kết nạp 120", "text": "Nêu cơ cấu đảng viên mới.",
               "on_behalf_of_org_id": cell, "from_paper": true}),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{late}");
    assert_eq!((late["at_version"].as_i64(), late["at_paragraph"].as_i64()), (Some(2), Some(4)));

    // Comparing the versions, paragraph by paragraph.
    let (status, cmp) = app.get(&office, &format!("/api/v1/drafts/{d}/compare?from=1&to=2")).await;
    assert_eq!(status, StatusCode::OK, "{cmp}");
    assert_eq!(
        (cmp["same"].as_i64(), cmp["changed"].as_i64(), cmp["added"].as_i64(), cmp["removed"].as_i64()),
        (Some(3), Some(1), Some(1), Some(0)),
        "{cmp}"
    );

    // The disposition: a reason is required, only the congress's staff give it.
    let path = format!("/api/v1/draft-comments/{}/disposition", mine["id"]);
    let (status, body) =
        app.send("PUT", &path, Some(&office), Some(json!({"disposition": "accepted", "reason": " "}))).await;
    assert_eq!((status, field_names(&body)), (StatusCode::UNPROCESSABLE_ENTITY, vec!["reason".to_owned()]));
    let (status, _) =
        app.send("PUT", &path, Some(&member), Some(json!({"disposition": "accepted", "reason": "Tự tiếp thu"}))).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "a member cannot dispose of comments");
    let (status, done) = app
        .send(
            "PUT",
            &path,
            Some(&office),
            Some(json!({"disposition": "partly_accepted", "reason": "Bổ sung vào phần phương hướng."})),
        )
        .await;
    assert_eq!((status, done["disposition"].as_str()), (StatusCode::OK, Some("partly_accepted")), "{done}");
    let (_, mine_now) = app.get(&member, &format!("/api/v1/drafts/{d}/comments")).await;
    assert!(mine_now["items"].as_array().unwrap().iter().any(|c| c["reason"] == "Bổ sung vào phần phương hướng."));

    // The report, as PDF and DOCX; not for a member.
    for (format, content_type) in [
        ("pdf", "application/pdf"),
        ("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    ] {
        let res = app
            .http
            .get(app.url(&format!("/api/v1/drafts/{d}/disposition-report?format={format}")))
            .bearer_auth(&office)
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), StatusCode::OK);
        assert_eq!(res.headers()["content-type"], content_type);
        assert!(res.bytes().await.unwrap().len() > 1_000);
    }
    let (status, _) = app.get(&member, &format!("/api/v1/drafts/{d}/disposition-report")).await;
    assert_eq!(status, StatusCode::FORBIDDEN);

    // Closing the window: comments are refused.
    let yesterday = (dangvu_domain::calendar::today() - chrono::Duration::days(1)).to_string();
    let (status, w) = app
        .send("PUT", &format!("/api/v1/drafts/{d}/window"), Some(&office), Some(json!({"comments_until": yesterday})))
        .await;
    assert_eq!((status, w["open_for_comments"].as_bool()), (StatusCode::OK, Some(false)), "{w}");
    let (status, body) = comment(&app, &member, d, json!({"version": 2, "paragraph": 1, "text": "Muộn"})).await;
    assert_eq!((status, field_names(&body)), (StatusCode::UNPROCESSABLE_ENTITY, vec!["draft".to_owned()]));
}

async fn each_reader_sees_the_comments_that_are_theirs(app: TestApp) {
    let office = app.login("vanphong").await;
    let member = app.login("dangvien").await;
    let secretary = app.login("bithu").await;
    let c = congress(&app, &office).await;
    let d = draft(&app, &office, c).await;
    let cell = app.org_id(CELL).await;
    comment(&app, &member, d, json!({"version": 1, "paragraph": 2, "text": "Ý kiến của đảng viên"})).await;
    comment(
        &app,
        &secretary,
        d,
        json!({"version": 1, "paragraph": 2, "text": "Ý kiến của chi bộ", "on_behalf_of_org_id": cell}),
    )
    .await;
    comment(&app, &office, d, json!({"version": 1, "paragraph": 3, "text": "Ý kiến của tỉnh", "on_behalf_of_org_id": app.org_id(COMMITTEE).await}))
        .await;

    let texts =
        |list: Vec<Value>| -> Vec<String> { list.iter().map(|c| c["text"].as_str().unwrap().to_owned()).collect() };
    assert_eq!(texts(comments_seen(&app, &office, d).await).len(), 3);
    assert_eq!(texts(comments_seen(&app, &member, d).await), ["Ý kiến của đảng viên"]);
    // The secretary is a member of the cell too (as bithu has no member of its own, only the cell's).
    assert!(texts(comments_seen(&app, &secretary, d).await).contains(&"Ý kiến của chi bộ".to_owned()));
    assert!(!texts(comments_seen(&app, &secretary, d).await).contains(&"Ý kiến của tỉnh".to_owned()));

    // A member speaks for themselves only; a unit outside the congress's subtree cannot comment.
    let (status, _) =
        comment(&app, &member, d, json!({"version": 1, "paragraph": 2, "text": "x", "on_behalf_of_org_id": cell}))
            .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let other = app.org_id("DUK-CCQ").await;
    let (status, body) =
        comment(&app, &office, d, json!({"version": 1, "paragraph": 2, "text": "x", "on_behalf_of_org_id": other}))
            .await;
    assert_eq!(
        (status, field_names(&body)),
        (StatusCode::UNPROCESSABLE_ENTITY, vec!["on_behalf_of_org_id".to_owned()])
    );
    // Only the staff read the groups.
    let (status, _) = app.get(&member, &format!("/api/v1/drafts/{d}/paragraphs/2/groups")).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    // A member reads the draft of the congress above their cell.
    let (status, body) = app.get(&member, &format!("/api/v1/drafts/{d}")).await;
    assert_eq!((status, body["open_for_comments"].as_bool()), (StatusCode::OK, Some(true)), "{body}");
}

async fn a_congress_opens_only_once_the_committee_above_approves_it(app: TestApp) {
    let office = app.login("vanphong").await;
    let secretary = app.login("bithu").await;
    let c = congress(&app, &office).await;
    let status_of = |event: &str, note: &str| json!({"event": event, "on": "2025-06-20", "note": note});
    let path = format!("/api/v1/congresses/{c}/status");

    let (status, body) = app.post(&office, &path, status_of("open", "")).await;
    assert_eq!((status, field_names(&body)), (StatusCode::UNPROCESSABLE_ENTITY, vec!["status".to_owned()]));
    let (status, body) = app.post(&office, &path, status_of("approve", "Đồng ý")).await;
    assert_eq!((status, body["status"].as_str()), (StatusCode::OK, Some("approved")), "{body}");
    let (status, body) = app.post(&office, &path, status_of("send_back", "")).await;
    assert_eq!((status, field_names(&body)), (StatusCode::UNPROCESSABLE_ENTITY, vec!["note".to_owned()]));
    for event in ["open", "close"] {
        let (status, body) = app.post(&office, &path, status_of(event, "")).await;
        assert_eq!(status, StatusCode::OK, "{event}: {body}");
    }
    let (_, body) = app.get(&office, &format!("/api/v1/congresses/{c}")).await;
    assert_eq!((body["status"].as_str(), body["opened_on"].as_str()), (Some("closed"), Some("2025-06-20")));

    // The cell's secretary sits below: reads it, cannot move it; a second congress of the term is refused.
    let (status, _) = app.get(&secretary, &format!("/api/v1/congresses/{c}")).await;
    assert_eq!(status, StatusCode::OK);
    let (status, _) = app.post(&secretary, &path, status_of("close", "")).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, body) = app
        .post(
            &office,
            "/api/v1/congresses",
            json!({"org_id": app.org_id(COMMITTEE).await, "title": "Lần nữa", "kind": "members", "term": "2025-2030",
                   "opens_on": "2025-07-01"}),
        )
        .await;
    assert_eq!((status, field_names(&body)), (StatusCode::UNPROCESSABLE_ENTITY, vec!["term".to_owned()]));
}

async fn a_member_comments_on_the_pages_and_the_office_disposes(app: TestApp) {
    let office_token = app.login("vanphong").await;
    let c = congress(&app, &office_token).await;
    let d = draft(&app, &office_token, c).await;
    app.post(&office_token, &format!("/api/v1/drafts/{d}/versions"), json!({"text": V2})).await;

    let member = sign_in(&app, "dangvien").await;
    let (status, html) = page(&app, &member, &format!("/drafts/{d}")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("Chuyển đổi số còn chậm") && html.contains("Góp ý đoạn 5"), "{html}");
    let csrf = csrf_of(&html);
    let (status, location, body) = post_form(
        &app,
        &member,
        &format!("/drafts/{d}/comments"),
        &[
            ("csrf", &csrf),
            ("version", "2"),
            ("paragraph", "5"),
            ("quote", "chưa đồng bộ"),
            ("text", "Cần lộ trình cụ thể."),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{body}");
    assert!(location.starts_with(&format!("/drafts/{d}?done=1")), "{location}");
    let (_, html) = page(&app, &member, &location).await;
    assert!(html.contains("Cần lộ trình cụ thể.") && html.contains("Đã gửi góp ý"), "{html}");
    // A quote not in the paragraph: the page says so, with 422.
    let (status, _, body) = post_form(
        &app,
        &member,
        &format!("/drafts/{d}/comments"),
        &[("csrf", &csrf), ("version", "2"), ("paragraph", "5"), ("quote", "không có"), ("text", "x")],
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body.contains("không có câu được trích"), "{body}");

    let office = sign_in(&app, "vanphong").await;
    for path in [
        "/congresses".to_owned(),
        format!("/congresses/{c}"),
        format!("/drafts/{d}/compare?from=1&to=2"),
        format!("/drafts/{d}/comments?paragraph=5"),
    ] {
        let (status, html) = page(&app, &office, &path).await;
        assert_eq!(status, StatusCode::OK, "{path}: {html}");
    }
    // The demo province planned the grassroots cycle of 2030: the list page shows its progress.
    let (_, html) = page(&app, &office, "/congresses?term=2030-2035&on=2030-07-01").await;
    assert!(html.contains("đã tiến hành đại hội") && html.contains("Sở Tài chính"), "{html}");
    let (_, html) = page(&app, &office, &format!("/congresses/{c}")).await;
    assert!(html.contains("Các mốc chuẩn bị") && html.contains("Khai mạc đại hội"), "{html}");
    let (_, html) = page(&app, &office, &format!("/drafts/{d}/comments?paragraph=5")).await;
    assert!(html.contains("Cần lộ trình cụ thể."), "{html}");
    let (_, compare) = page(&app, &office, &format!("/drafts/{d}/compare?from=1&to=2")).await;
    assert!(compare.contains("<ins>7,2%/năm,</ins>") || compare.contains("<ins>7,2%/năm"), "{compare}");
    let (_, list) = app.get(&office_token, &format!("/api/v1/drafts/{d}/comments")).await;
    let id = list["items"][0]["id"].as_i64().unwrap();
    let csrf = csrf_of(&html);
    let (status, location, body) = post_form(
        &app,
        &office,
        &format!("/draft-comments/{id}/disposition"),
        &[
            ("csrf", &csrf),
            ("disposition", "noted"),
            ("reason", "Ghi nhận để xây dựng chương trình hành động."),
            ("paragraph", "5"),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{body}");
    let (_, html) = page(&app, &office, &location).await;
    assert!(html.contains("Ghi nhận để xây dựng chương trình hành động."), "{html}");
}

/// A cell prepares its own congress: its secretary is the staff, its members are not, though a
/// member's account is scoped to that same cell.
async fn on_the_cells_own_congress_a_member_still_reads_only_their_own(app: TestApp) {
    let secretary = app.login("bithu").await;
    let member = app.login("dangvien").await;
    let cell = app.org_id(CELL).await;
    let (status, c) = app
        .post(
            &secretary,
            "/api/v1/congresses",
            json!({"org_id": cell, "title": "Đại hội Chi bộ Văn phòng", "kind": "members", "term": "2025-2027",
                   "opens_on": "2025-04-10"}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{c}");
    let (status, d) = app
        .post(&secretary, &format!("/api/v1/congresses/{}/drafts", c["id"]), json!({"title": "Báo cáo", "text": V1}))
        .await;
    assert_eq!(status, StatusCode::CREATED, "{d}");
    let d = d["id"].as_i64().unwrap();
    let same = "Đề nghị bổ sung chỉ tiêu về chuyển đổi số.";
    let (status, mine) = comment(&app, &member, d, json!({"version": 1, "paragraph": 4, "text": same})).await;
    assert_eq!(status, StatusCode::CREATED, "{mine}");
    let (status, _) =
        comment(&app, &secretary, d, json!({"version": 1, "paragraph": 4, "text": same, "on_behalf_of_org_id": cell}))
            .await;
    assert_eq!(status, StatusCode::CREATED);

    assert_eq!(comments_seen(&app, &secretary, d).await.len(), 2);
    let seen = comments_seen(&app, &member, d).await;
    assert_eq!(seen.len(), 1, "the member reads only their own: {seen:?}");
    assert_eq!(seen[0]["same_text"], 1, "how many wrote the same is not the sender's to know");
    for path in [format!("/api/v1/drafts/{d}/paragraphs/4/groups"), format!("/api/v1/drafts/{d}/disposition-report")] {
        let (status, _) = app.get(&member, &path).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{path}");
    }
    let member_page = sign_in(&app, "dangvien").await;
    let (_, html) = page(&app, &member_page, &format!("/drafts/{d}/comments")).await;
    assert!(html.contains("Góp ý của tôi"), "{html}");
    assert_eq!(html.matches("<li id=\"c").count(), 1, "the page lists the member's own comment only: {html}");
}

/// A committee's account below the congress comments for its committee, not for its cells.
async fn a_unit_below_speaks_only_for_itself(app: TestApp) {
    let admin = app.login("admin").await;
    let committee = app.org_id(COMMITTEE).await;
    let (status, _) = app
        .post(
            &admin,
            "/api/v1/users",
            json!({"username": "vp.stc", "password": PASSWORD, "role": "office", "org_id": committee}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED);
    let office = app.login("vp.stc").await;
    let province = app.org_id("TU-NA").await;
    let (status, c) = app
        .post(
            &admin,
            "/api/v1/congresses",
            json!({"org_id": province, "title": "Đại hội Đảng bộ tỉnh", "kind": "delegates", "term": "2025-2030",
                   "opens_on": "2025-10-10"}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{c}");
    let d = draft(&app, &admin, c["id"].as_i64().unwrap()).await;
    let (status, body) = comment(
        &app,
        &office,
        d,
        json!({"version": 1, "paragraph": 2, "text": "Thay mặt chi bộ", "on_behalf_of_org_id": app.org_id(CELL).await}),
    )
    .await;
    assert_eq!(
        (status, field_names(&body)),
        (StatusCode::UNPROCESSABLE_ENTITY, vec!["on_behalf_of_org_id".to_owned()])
    );
    let (status, body) = comment(
        &app,
        &office,
        d,
        json!({"version": 1, "paragraph": 2, "text": "Thay mặt Đảng ủy Sở", "on_behalf_of_org_id": committee}),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    // The province's staff type in a cell's paper comment on its behalf.
    let (status, body) = comment(
        &app,
        &admin,
        d,
        json!({"version": 1, "paragraph": 2, "text": "Phiếu giấy của chi bộ", "from_paper": true,
               "on_behalf_of_org_id": app.org_id(CELL).await}),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
}

/// A comment on a whole paragraph stays with it when the paragraph is rewritten, and is outdated
/// only when the paragraph is removed; quoted words that stand unchanged elsewhere do not pull a
/// comment there.
async fn a_comment_on_a_whole_paragraph_follows_it_through_a_rewrite(app: TestApp) {
    let office = app.login("vanphong").await;
    let secretary = app.login("bithu").await;
    let c = congress(&app, &office).await;
    let d = draft(&app, &office, c).await;
    let cell = app.org_id(CELL).await;
    let (_, whole) = comment(
        &app,
        &secretary,
        d,
        json!({"version": 1, "paragraph": 4, "text": "Cần lộ trình.", "on_behalf_of_org_id": cell}),
    )
    .await;
    let (_, quoted) = comment(
        &app,
        &secretary,
        d,
        json!({"version": 1, "paragraph": 4, "quote": "chưa đồng bộ", "text": "Nêu rõ đơn vị nào.", "on_behalf_of_org_id": cell}),
    )
    .await;
    let rewritten = V1.replace(
        "Chuyển đổi số còn chậm, chưa đồng bộ.",
        "Chuyển đổi số còn chậm, chưa thật sự đồng bộ giữa các đơn vị.",
    );
    let (status, _) = app.post(&office, &format!("/api/v1/drafts/{d}/versions"), json!({"text": rewritten})).await;
    assert_eq!(status, StatusCode::CREATED);
    let all = comments_seen(&app, &office, d).await;
    let find = |c: &Value| all.iter().find(|x| x["id"] == c["id"]).unwrap().clone();
    assert_eq!((find(&whole)["outdated"].as_bool(), find(&whole)["at_paragraph"].as_i64()), (Some(false), Some(4)));
    assert_eq!(find(&quoted)["outdated"], true, "\"chưa đồng bộ\" is no longer in the text");
    let removed = V1.replace("Chuyển đổi số còn chậm, chưa đồng bộ.\n", "");
    app.post(&office, &format!("/api/v1/drafts/{d}/versions"), json!({"text": removed})).await;
    let all = comments_seen(&app, &office, d).await;
    assert_eq!(all.iter().find(|x| x["id"] == whole["id"]).unwrap()["outdated"], true);
}

/// The province pushes the grassroots cycle down; the finance committee's congress gets the
/// plan's milestones as tasks; the bloc's progress counts who has held their congress by a day.
async fn a_plan_pushed_down_gives_each_congress_its_milestones_and_the_subtree_its_progress(app: TestApp) {
    let office = app.login("vanphong").await;
    let province = app.org_id("TU-NA").await;
    let bloc = app.org_id("DUK-CCQ").await;
    let plan = json!({"org_id": province, "term": "2025-2030", "kinds": ["grassroots_committee", "grassroots_cell"],
                      "held_by": "2025-06-30",
                      "milestones": [{"milestone": "drafts_ready", "days_before": 45}, {"milestone": "higher_review", "days_before": 10},
                                     {"milestone": "delegates_elected", "days_before": 20}, {"milestone": "opening", "days_before": 0}]});
    let (status, body) = app.post(&office, "/api/v1/congress-plans", plan.clone()).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let (status, body) = app.post(&office, "/api/v1/congress-plans", plan).await;
    assert_eq!((status, field_names(&body)), (StatusCode::UNPROCESSABLE_ENTITY, vec!["kinds".to_owned()]));
    let (status, body) = app
        .post(
            &office,
            "/api/v1/congress-plans",
            json!({"org_id": bloc, "term": "2025-2030", "kinds": ["cell", "nothing"], "held_by": "2025-05-31",
                   "milestones": [{"milestone": "opening", "days_before": 400}]}),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert!(field_names(&body).contains(&"kinds".to_owned()), "{body}");

    // A members' congress under the plan: four milestones less the delegates', due back from 20/6.
    let c = congress(&app, &office).await;
    let (_, view) = app.get(&office, &format!("/api/v1/congresses/{c}")).await;
    let due: Vec<(String, String)> = view["milestones"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| (m["milestone"].as_str().unwrap().to_owned(), m["due_on"].as_str().unwrap().to_owned()))
        .collect();
    let expected = [("drafts_ready", "2025-05-06"), ("higher_review", "2025-06-10"), ("opening", "2025-06-20")];
    assert_eq!(due, expected.map(|(m, d)| (m.to_owned(), d.to_owned())), "{view}");
    let review_task = view["milestones"][1]["task_id"].as_i64().unwrap();
    let (_, task) = app.get(&office, &format!("/api/v1/tasks/{review_task}")).await;
    assert_eq!(
        (task["org_id"].as_i64(), task["lead_org_id"].as_i64()),
        (Some(province), Some(app.org_id(COMMITTEE).await)),
        "{task}"
    );

    let progress = |on: &'static str| {
        let (app, office) = (&app, &office);
        async move {
            let (status, body) =
                app.get(office, &format!("/api/v1/orgs/{bloc}/congress-progress?term=2025-2030&on={on}")).await;
            assert_eq!(status, StatusCode::OK, "{body}");
            // The demo's own plan of 2025 covers the committees; this one the grassroots.
            let items = body["items"].as_array().unwrap();
            items.iter().find(|p| p["plan"]["kinds"][0] == "grassroots_committee").expect("the grassroots plan").clone()
        }
    };
    let p = progress("2025-06-15").await;
    let n = |k: &str| p[k].as_i64().unwrap();
    assert!(n("expected") > 10, "the bloc's grassroots organisations: {p}");
    assert_eq!(n("expected"), n("held") + n("scheduled") + n("late") + n("not_scheduled"));
    assert_eq!((n("held"), n("scheduled"), n("late")), (0, 1, 0), "{p}");
    let missed: Vec<&str> =
        p["missed_milestones"].as_array().unwrap().iter().map(|m| m["milestone"].as_str().unwrap()).collect();
    assert_eq!(missed, ["drafts_ready", "higher_review"], "neither reported done by its day: {p}");

    // Approved on 8/6 (its milestone done by the approval), opened on 20/6.
    let path = format!("/api/v1/congresses/{c}/status");
    for (event, on) in [("approve", "2025-06-08"), ("open", "2025-06-20")] {
        let (status, body) = app.post(&office, &path, json!({"event": event, "on": on, "note": "Đồng ý"})).await;
        assert_eq!(status, StatusCode::OK, "{body}");
    }
    let (_, task) = app.get(&office, &format!("/api/v1/tasks/{review_task}")).await;
    assert_eq!(task["done_on"], "2025-06-08", "{task}");
    let p = progress("2025-06-30").await;
    assert_eq!(
        (p["held"].as_i64(), p["held_on_time"].as_i64(), p["late"].as_i64()),
        (Some(1), Some(1), Some(0)),
        "{p}"
    );
    let p = progress("2025-07-01").await;
    assert_eq!(
        p["late"].as_i64().unwrap(),
        p["expected"].as_i64().unwrap() - 1,
        "past the deadline every other one is late"
    );
    // Seen on 19/6 it had not opened yet.
    assert_eq!(progress("2025-06-19").await["held"], 0);
    let (status, _) = app.get(&office, &format!("/api/v1/orgs/{bloc}/congress-progress?term=2025")).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
}

async fn subcommittees_get_people_and_tasks_and_documents_share_one_series(app: TestApp) {
    let office = app.login("vanphong").await;
    let c = congress(&app, &office).await;

    // Subcommittees work during the preparation: one head each, tasks of the tasks capability.
    let (status, docs) =
        app.post(&office, &format!("/api/v1/congresses/{c}/subcommittees"), json!({"kind": "documents"})).await;
    assert_eq!((status, docs["name"].as_str()), (StatusCode::CREATED, Some("Tiểu ban Văn kiện")), "{docs}");
    let (status, body) =
        app.post(&office, &format!("/api/v1/congresses/{c}/subcommittees"), json!({"kind": "documents"})).await;
    assert_eq!((status, field_names(&body)), (StatusCode::UNPROCESSABLE_ENTITY, vec!["name".to_owned()]));
    let s = docs["id"].as_i64().unwrap();
    let (status, _) = app
        .post(
            &office,
            &format!("/api/v1/subcommittees/{s}/members"),
            json!({"full_name": "Nguyễn Văn An", "seat": "head", "title": "Phó Bí thư"}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED);
    let (status, body) = app
        .post(
            &office,
            &format!("/api/v1/subcommittees/{s}/members"),
            json!({"full_name": "Trần Thị Bình", "seat": "head"}),
        )
        .await;
    assert_eq!((status, field_names(&body)), (StatusCode::UNPROCESSABLE_ENTITY, vec!["seat".to_owned()]));
    let (status, with_task) = app
        .post(
            &office,
            &format!("/api/v1/subcommittees/{s}/tasks"),
            json!({"title": "Hoàn thành dự thảo báo cáo chính trị", "due_on": "2025-05-01"}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{with_task}");
    let task = &with_task["tasks"][0];
    assert_eq!(task["title"], "Tiểu ban Văn kiện: Hoàn thành dự thảo báo cáo chính trị");
    let (status, _) = app.get(&office, &format!("/api/v1/tasks/{}", task["task_id"])).await;
    assert_eq!(status, StatusCode::OK, "a task like any other");
    let (_, list) = app.get(&app.login("bithu").await, &format!("/api/v1/congresses/{c}/subcommittees")).await;
    assert_eq!(list["items"][0]["members"][0]["full_name"], "Nguyễn Văn An", "the units below read them");

    // Documents are numbered from the preparatory session to the close, one series for all.
    let issue = |body: &str, t: &str, on: &str| json!({"body": body, "type": t, "title": "Văn bản của đại hội", "issued_on": on});
    let path = format!("/api/v1/congresses/{c}/documents");
    let (status, body) = app.post(&office, &path, issue("congress", "NQ", "2025-06-20")).await;
    assert_eq!(
        (status, field_names(&body)),
        (StatusCode::UNPROCESSABLE_ENTITY, vec!["issued_on".to_owned()]),
        "not yet open"
    );
    let status_path = format!("/api/v1/congresses/{c}/status");
    app.post(&office, &status_path, json!({"event": "approve", "on": "2025-06-01"})).await;
    app.post(&office, &status_path, json!({"event": "open", "on": "2025-06-20"})).await;
    let mut numbers = Vec::new();
    for (body, t, on) in
        [("credentials", "BC", "2025-06-20"), ("counting_board", "bb", "2025-06-21"), ("congress", "NQ", "2025-06-21")]
    {
        let (status, d) = app.post(&office, &path, issue(body, t, on)).await;
        assert_eq!(status, StatusCode::CREATED, "{d}");
        numbers.push(d["number"].as_str().unwrap().to_owned());
    }
    assert_eq!(numbers, ["01-BC/BTTTC", "02-BB/BKP", "03-NQ/ĐH"]);
    for (body, field) in
        [(issue("congress", "XYZ", "2025-06-21"), "type"), (issue("congress", "NQ", "2025-06-19"), "issued_on")]
    {
        let (status, answer) = app.post(&office, &path, body).await;
        assert_eq!((status, field_names(&answer)), (StatusCode::UNPROCESSABLE_ENTITY, vec![field.to_owned()]));
    }
    let (_, listed) = app.get(&office, &path).await;
    let listed: Vec<&str> = listed["items"].as_array().unwrap().iter().map(|d| d["number"].as_str().unwrap()).collect();
    assert_eq!(listed, numbers);

    // Another congress starts its own series: the same number on the same day is its own.
    let other = app
        .post(
            &office,
            "/api/v1/congresses",
            json!({"org_id": app.org_id("DUK-CCQ-VPTU").await, "title": "Đại hội Đảng bộ Văn phòng Tỉnh ủy", "kind": "members",
                   "term": "2025-2030", "opens_on": "2025-06-20"}),
        )
        .await
        .1["id"]
        .as_i64()
        .unwrap();
    let other_status = format!("/api/v1/congresses/{other}/status");
    app.post(&office, &other_status, json!({"event": "approve", "on": "2025-06-01"})).await;
    app.post(&office, &other_status, json!({"event": "open", "on": "2025-06-20"})).await;
    let (status, d) = app
        .post(&office, &format!("/api/v1/congresses/{other}/documents"), issue("credentials", "BC", "2025-06-20"))
        .await;
    assert_eq!((status, d["number"].as_str()), (StatusCode::CREATED, Some("01-BC/BTTTC")), "{d}");
    let (_, registry) = app.get(&office, "/api/v1/documents?q=01-BC").await;
    assert_eq!(registry["items"].as_array().unwrap().len(), 2, "both in the registry: {registry}");
}

async fn the_targets_table_is_data_carried_compared_and_exported(app: TestApp) {
    let office = app.login("vanphong").await;
    let c = congress(&app, &office).await;
    let target = |name: &str, next: &str| json!({"name": name, "unit": "%", "previous_target": "7", "achieved": "7,2", "next_target": next});
    let (status, d) = app
        .post(
            &office,
            &format!("/api/v1/congresses/{c}/drafts"),
            json!({"title": "Báo cáo chính trị", "text": V1,
                   "targets": [target("Tăng trưởng GRDP", "8"), target("Tỷ lệ hộ nghèo", "=1+1")]}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{d}");
    assert_eq!(d["targets"].as_array().unwrap().len(), 2);
    let id = d["id"].as_i64().unwrap();
    let (status, body) = app
        .post(&office, &format!("/api/v1/drafts/{id}/versions"), json!({"text": V2, "targets": [target("", "1")]}))
        .await;
    assert_eq!((status, field_names(&body)), (StatusCode::UNPROCESSABLE_ENTITY, vec!["targets[0]".to_owned()]));
    let (status, v2) = app.post(&office, &format!("/api/v1/drafts/{id}/versions"), json!({"text": V2})).await;
    assert_eq!(status, StatusCode::CREATED);
    assert_eq!(v2["targets"], d["targets"], "a version without its own table carries the one before");
    let (status, _) = app
        .post(
            &office,
            &format!("/api/v1/drafts/{id}/versions"),
            json!({"text": V1, "targets": [target("TĂNG TRƯỞNG GRDP", "8,5"), target("Chuyển đổi số", "100")]}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED);
    let (_, cmp) = app.get(&office, &format!("/api/v1/drafts/{id}/targets/compare?from=2&to=3")).await;
    let changes: Vec<&str> = cmp["items"].as_array().unwrap().iter().map(|c| c["change"].as_str().unwrap()).collect();
    assert_eq!(changes, ["changed", "added", "removed"], "{cmp}");
    assert_eq!(cmp["items"][0]["before"]["next_target"], "8");

    // Exports: a value a spreadsheet would run is written as text; the table is readable below.
    let (_, v1) = app.get(&app.login("bithu").await, &format!("/api/v1/drafts/{id}/targets?version=1")).await;
    assert_eq!(v1["items"][1]["next_target"], "=1+1");
    let get = |format: &str| {
        app.http
            .get(app.url(&format!("/api/v1/drafts/{id}/targets?version=1&format={format}")))
            .bearer_auth(&office)
            .send()
    };
    let csv = get("csv").await.unwrap().text().await.unwrap();
    assert!(csv.contains("Tăng trưởng GRDP,%,7,\"7,2\",8") && csv.contains("'=1+1"), "{csv}");
    let xlsx = get("xlsx").await.unwrap().bytes().await.unwrap();
    assert!(xlsx.starts_with(b"PK"));
}

async fn a_paper_comment_carries_its_scanned_page(app: TestApp) {
    let office = app.login("vanphong").await;
    let c = congress(&app, &office).await;
    let d = draft(&app, &office, c).await;
    let cell = app.org_id(CELL).await;
    let (status, paper) = comment(
        &app,
        &office,
        d,
        json!({"version": 1, "paragraph": 2, "text": "Ý kiến ghi trên phiếu", "on_behalf_of_org_id": cell, "from_paper": true}),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{paper}");
    let (_, typed) = comment(
        &app,
        &office,
        d,
        json!({"version": 1, "paragraph": 2, "text": "Ý kiến gõ trực tiếp", "on_behalf_of_org_id": cell}),
    )
    .await;
    let scan = |id: i64, token: &str| {
        app.http
            .post(app.url(&format!("/api/v1/draft-comments/{id}/scan?name=phieu-gop-y.jpg")))
            .bearer_auth(token.to_owned())
            .body(b"\xff\xd8\xff scanned page".to_vec())
            .send()
    };
    let res = scan(typed["id"].as_i64().unwrap(), &office).await.unwrap();
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY, "only a paper comment has a scan");
    let res = scan(paper["id"].as_i64().unwrap(), &app.login("dangvien").await).await.unwrap();
    assert_eq!(res.status(), StatusCode::NOT_FOUND, "a member does not read the cell's comments");
    let res = scan(paper["id"].as_i64().unwrap(), &office).await.unwrap();
    assert_eq!(res.status(), StatusCode::CREATED);
    let with_scan: Value = res.json().await.unwrap();
    let file = with_scan["file_id"].as_i64().expect("the scan's file");

    // The congress's staff and the cell that sent it download it; nobody else.
    for (who, expected) in
        [("vanphong", StatusCode::OK), ("bithu", StatusCode::OK), ("dangvien", StatusCode::NOT_FOUND)]
    {
        let res = app
            .http
            .get(app.url(&format!("/api/v1/files/{file}")))
            .bearer_auth(app.login(who).await)
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), expected, "{who}");
        if expected == StatusCode::OK {
            assert_eq!(res.bytes().await.unwrap().as_ref(), b"\xff\xd8\xff scanned page");
        }
    }
}
