//! The organisation tree through the API: figures, restructuring with effective dates,
//! history, validation.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::both_backends;
use crate::harness::TestApp;

both_backends!(
    bloc_has_the_figures_of_seed_003,
    restructuring_keeps_history,
    bad_input_changes_nothing,
    lists_and_trees
);

async fn bloc_has_the_figures_of_seed_003(app: TestApp) {
    let token = app.login("lanhdao").await;
    let (status, list) = app.get(&token, "/api/v1/orgs?code=DUK-CCQ").await;
    assert_eq!(status, StatusCode::OK);
    let bloc = &list["items"][0];
    assert_eq!(bloc["name"], "Đảng bộ Khối các cơ quan tỉnh");
    let (status, stats) = app.get(&token, &format!("/api/v1/orgs/{}/stats", bloc["id"])).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(stats["orgs"]["grassroots_committee"], 39);
    assert_eq!(stats["orgs"]["grassroots_cell"], 24);
    assert_eq!(stats["orgs"]["sub_committee"], 11);
    assert_eq!(stats["orgs"]["cell"], 419);
    // Seed 003: "… 5.112 đảng viên".
    assert_eq!(stats["members"]["total"], 5112);
    let (full, prob) = (stats["members"]["full"].as_i64().unwrap(), stats["members"]["probationary"].as_i64().unwrap());
    assert_eq!(full + prob, 5112);
    assert!(prob > 200 && prob < 700, "about one in twelve on probation: {prob}");
}

async fn create(app: &TestApp, token: &str, body: Value) -> i64 {
    let (status, org) = app.post(token, "/api/v1/orgs", body.clone()).await;
    assert_eq!(status, StatusCode::CREATED, "{body} → {org}");
    org["id"].as_i64().unwrap()
}

async fn restructuring_keeps_history(app: TestApp) {
    let token = app.login("tochuc").await;
    let province = app.org_id("TU-NA").await;
    let a = create(&app, &token, json!({"code": "T-A", "name": "Đảng bộ xã Thử A", "kind": "committee", "parent_id": province, "effective_on": "2020-01-01"})).await;
    let b = create(&app, &token, json!({"code": "T-B", "name": "Đảng bộ xã Thử B", "kind": "committee", "parent_id": province, "effective_on": "2020-01-01"})).await;
    let g = create(&app, &token, json!({"code": "T-A-G", "name": "Đảng bộ Trường Thử", "kind": "grassroots_committee", "parent_id": a, "effective_on": "2020-02-01"})).await;
    let c = create(&app, &token, json!({"code": "T-A-G-1", "name": "Chi bộ Giáo viên", "kind": "cell", "parent_id": g, "effective_on": "2020-03-01"})).await;

    // Rename from 2023: the old name remains before that day.
    let (status, org) = app
        .post(
            &token,
            &format!("/api/v1/orgs/{g}/rename"),
            json!({"name": "Đảng bộ Trường Thử Mới", "effective_on": "2023-01-01"}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{org}");
    assert_eq!(org["name"], "Đảng bộ Trường Thử Mới");
    let (_, old) = app.get(&token, &format!("/api/v1/orgs/{g}?on=2022-12-31")).await;
    assert_eq!(old["name"], "Đảng bộ Trường Thử");

    // Move the grassroots committee, with its cell, under B from 2024.
    let (status, moved) = app
        .post(&token, &format!("/api/v1/orgs/{g}/move"), json!({"parent_id": b, "effective_on": "2024-01-01"}))
        .await;
    assert_eq!(status, StatusCode::OK, "{moved}");
    assert_eq!(moved["parent_id"], b);
    let (_, stats_b) = app.get(&token, &format!("/api/v1/orgs/{b}/stats")).await;
    assert_eq!(stats_b["orgs"]["cell"], 1);
    let (_, stats_a_then) = app.get(&token, &format!("/api/v1/orgs/{a}/stats?on=2023-06-01")).await;
    assert_eq!(stats_a_then["orgs"]["cell"], 1, "before the move the cell counted under A");
    assert_eq!(stats_a_then["orgs"]["grassroots_committee"], 1);

    // Merge B into A from 2025-07-01: B's children move to A, B ends.
    let (status, merged) =
        app.post(&token, &format!("/api/v1/orgs/{b}/merge"), json!({"into_id": a, "effective_on": "2025-07-01"})).await;
    assert_eq!(status, StatusCode::OK, "{merged}");
    assert_eq!(merged["end_reason"], "merged");
    assert_eq!(merged["merged_into_id"], a);
    assert_eq!(merged["active"], false);
    let (_, tree_now) = app.get(&token, &format!("/api/v1/orgs/{a}/tree?depth=3")).await;
    assert_eq!(tree_now["children"][0]["id"], g);
    assert_eq!(tree_now["children"][0]["children"][0]["id"], c);
    let (_, tree_before) = app.get(&token, &format!("/api/v1/orgs/{b}/tree?depth=3&on=2025-06-30")).await;
    assert_eq!(tree_before["children"][0]["id"], g, "the tree before the merge is intact");
    let (_, cell_then) = app.get(&token, &format!("/api/v1/orgs/{c}?on=2024-06-01")).await;
    assert_eq!(cell_then["depth"], 3);
    let (_, hist) = app.get(&token, &format!("/api/v1/orgs/{g}/history")).await;
    let changes: Vec<&str> = hist["items"].as_array().unwrap().iter().map(|v| v["change"].as_str().unwrap()).collect();
    assert_eq!(changes, ["found", "rename", "move", "merge"]);

    // A change dated before a recorded one is refused: history is written in order.
    let (status, body) =
        app.post(&token, &format!("/api/v1/orgs/{g}/rename"), json!({"name": "X", "effective_on": "2024-06-01"})).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(body["error"]["fields"][0]["field"], "effective_on");

    // Dissolve needs an empty organisation.
    let (status, _) =
        app.post(&token, &format!("/api/v1/orgs/{g}/dissolve"), json!({"effective_on": "2026-01-01"})).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let (status, gone) =
        app.post(&token, &format!("/api/v1/orgs/{c}/dissolve"), json!({"effective_on": "2026-01-01"})).await;
    assert_eq!(status, StatusCode::OK, "{gone}");
    assert_eq!(gone["end_reason"], "dissolved");
    let (_, stats) = app.get(&token, &format!("/api/v1/orgs/{a}/stats")).await;
    assert_eq!(stats["orgs"]["cell"], 0);
    let (_, stats) = app.get(&token, &format!("/api/v1/orgs/{a}/stats?on=2025-12-31")).await;
    assert_eq!(stats["orgs"]["cell"], 1);

    // The demo's own restructuring of 1/7/2025: the district existed before, not after.
    let district = app.org_id("HU-DCHAU").await;
    let (_, d) = app.get(&token, &format!("/api/v1/orgs/{district}?on=2025-06-30")).await;
    assert_eq!(d["active"], true);
    let (_, d) = app.get(&token, &format!("/api/v1/orgs/{district}")).await;
    assert_eq!(d["active"], false);
    let (_, kids) = app.get(&token, &format!("/api/v1/orgs?parent_id={district}&on=2025-06-30")).await;
    assert!(kids["items"].as_array().unwrap().len() >= 4);
}

async fn bad_input_changes_nothing(app: TestApp) {
    let token = app.login("tochuc").await;
    let province = app.org_id("TU-NA").await;
    let cell = app.org_id("DUK-CCQ-STC-CB01").await;
    let before = app.audit_len().await;
    let cases = [
        (json!({"code": "X1", "name": "Chi bộ", "kind": "cell", "parent_id": province}), "parent_id"),
        (json!({"code": "X1", "name": "Chi bộ", "kind": "chi_bo", "parent_id": province}), "kind"),
        (json!({"code": "DUK-CCQ", "name": "Trùng mã", "kind": "committee", "parent_id": province}), "code"),
        (json!({"code": "A B", "name": "Mã sai", "kind": "committee", "parent_id": province}), "code"),
        (json!({"code": "X2", "name": "  ", "kind": "committee", "parent_id": province}), "name"),
        (json!({"code": "X3", "name": "Dưới chi bộ", "kind": "cell", "parent_id": cell}), "parent_id"),
        (json!({"code": "X4", "name": "Không cha", "kind": "committee", "parent_id": 99999999}), "parent_id"),
        (
            json!({"code": "X5", "name": "Ngày sai", "kind": "committee", "parent_id": province, "effective_on": "2025-13-01"}),
            "effective_on",
        ),
    ];
    for (body, field) in cases {
        let (status, answer) = app.post(&token, "/api/v1/orgs", body.clone()).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body} → {answer}");
        let fields: Vec<&str> =
            answer["error"]["fields"].as_array().unwrap().iter().map(|f| f["field"].as_str().unwrap()).collect();
        assert!(fields.contains(&field), "{body}: expected {field} in {fields:?}");
        assert!(!answer["error"]["fields"][0]["message"].as_str().unwrap().is_ascii(), "Vietnamese message");
    }
    // Moving an organisation into its own subtree, or merging across levels.
    let bloc = app.org_id("DUK-CCQ").await;
    let (status, _) = app.post(&token, &format!("/api/v1/orgs/{bloc}/move"), json!({"parent_id": cell})).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let (status, _) = app.post(&token, &format!("/api/v1/orgs/{cell}/merge"), json!({"into_id": bloc})).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let (status, _) = app.post(&token, &format!("/api/v1/orgs/{bloc}/dissolve"), json!({})).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(app.audit_len().await, before, "no refused change wrote anything");

    // Only organizers and admins restructure.
    let viewer = app.login("lanhdao").await;
    let (status, _) = app
        .post(&viewer, "/api/v1/orgs", json!({"code": "X9", "name": "A", "kind": "committee", "parent_id": province}))
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _) = app.post(&viewer, &format!("/api/v1/orgs/{cell}/rename"), json!({"name": "B"})).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert_eq!(app.audit_len().await, before);
}

async fn lists_and_trees(app: TestApp) {
    let token = app.login("admin").await;
    let bloc = app.org_id("DUK-CCQ").await;
    // One level of children, paged.
    let mut seen = 0;
    let mut cursor: Option<String> = None;
    loop {
        let path = match &cursor {
            Some(c) => format!("/api/v1/orgs?parent_id={bloc}&limit=20&cursor={c}"),
            None => format!("/api/v1/orgs?parent_id={bloc}&limit=20"),
        };
        let (status, page) = app.get(&token, &path).await;
        assert_eq!(status, StatusCode::OK);
        seen += page["items"].as_array().unwrap().len();
        match page["next_cursor"].as_str() {
            Some(c) => cursor = Some(c.to_owned()),
            None => break,
        }
    }
    assert_eq!(seen, 63, "39 grassroots committees and 24 grassroots cells directly under the bloc");

    let (status, tree) = app.get(&token, &format!("/api/v1/orgs/{bloc}/tree?depth=3")).await;
    assert_eq!(status, StatusCode::OK);
    fn count(node: &Value, kind: &str) -> usize {
        node["children"].as_array().unwrap().iter().map(|c| usize::from(c["kind"] == kind) + count(c, kind)).sum()
    }
    assert_eq!(count(&tree, "cell"), 419);
    assert_eq!(count(&tree, "sub_committee"), 11);
    let (status, _) = app.get(&token, &format!("/api/v1/orgs/{bloc}/tree?depth=0")).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);

    // Search ignores case and diacritics, including đ.
    let (_, found) = app.get(&token, "/api/v1/orgs?q=dien%20chau").await;
    assert!(found["items"].as_array().unwrap().iter().any(|o| o["code"] == "XA-DCHAU"), "{found}");
    let (_, found) = app.get(&token, "/api/v1/orgs?q=DANG%20BO%20KHOI").await;
    assert!(found["items"].as_array().unwrap().iter().any(|o| o["code"] == "DUK-CCQ"));

    // Input is stored in NFC whatever the keyboard sent.
    let province = app.org_id("TU-NA").await;
    let (status, org) = app
        .post(&token, "/api/v1/orgs", json!({"code": "NFC-1", "name": "Đảng bộ xã Nghe\u{0302}\u{0323} An", "kind": "committee", "parent_id": province}))
        .await;
    assert_eq!(status, StatusCode::CREATED);
    assert_eq!(org["name"], "Đảng bộ xã Nghệ An");

    // Bodies of the province.
    let (_, bodies) = app.get(&token, &format!("/api/v1/orgs/{province}/bodies")).await;
    assert!(bodies["items"].as_array().unwrap().iter().any(|b| b["kind"] == "standing"));
    let (status, body) = app
        .post(
            &token,
            &format!("/api/v1/orgs/{province}/bodies"),
            json!({"kind": "board", "name": "Ban Nội chính Tỉnh ủy"}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
}
