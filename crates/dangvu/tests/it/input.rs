//! Reliability defect 6: a control character (NUL among them) or a bidirectional override in
//! any text is refused with the same 422 on both engines, in a JSON body, a query, a page's
//! form and a file's name; nothing is stored.

use reqwest::StatusCode;
use serde_json::json;

use crate::both_backends;
use crate::harness::{TestApp, csrf_of, page, post_form, sign_in};

both_backends!(control_and_bidi_override_characters_are_refused_alike, the_api_answers_its_own_errors);

fn field(body: &serde_json::Value) -> Option<&str> {
    body["error"]["fields"][0]["field"].as_str()
}

async fn control_and_bidi_override_characters_are_refused_alike(app: TestApp) {
    let office = app.login("vanphong").await;
    let commune = app.org_id("P-CLO").await;
    let before = app.audit_len().await;
    for title in ["Rà soát\u{0}hồ sơ", "Rà soát \u{202E}fdp.exe", "Chuông\u{7}"] {
        let (status, body) = app
            .post(&office, "/api/v1/tasks", json!({"title": title, "lead_org_id": commune, "due_on": "2030-03-31"}))
            .await;
        assert_eq!((status, field(&body)), (StatusCode::UNPROCESSABLE_ENTITY, Some("title")), "{title:?}: {body}");
        assert!(body.to_string().contains("U+"), "{body}");
    }
    // A line break in a long text is a text, not a control.
    let (status, task) = app
        .post(
            &office,
            "/api/v1/tasks",
            json!({"title": "Rà soát\nhồ sơ", "lead_org_id": commune, "due_on": "2030-03-31"}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{task}");
    let task = task["id"].as_i64().unwrap();

    // A query, and a file's name given in it.
    let bloc = app.org_id("DUK-CCQ").await;
    let (status, body) = app.get(&office, &format!("/api/v1/members?org_id={bloc}&q=a%00b")).await;
    assert_eq!((status, field(&body)), (StatusCode::UNPROCESSABLE_ENTITY, Some("q")), "{body}");
    let res = app
        .http
        .post(app.url(&format!("/api/v1/tasks/{task}/files?name=hoso%E2%80%AEfdp.exe")))
        .bearer_auth(&office)
        .header("content-type", "application/pdf")
        .body("%PDF-1.4")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);

    // An imported cell, which no extractor reads.
    let cell = app.org_id("DUK-CCQ-STC-CB01").await;
    let organizer = app.login("khoi").await;
    let csv = "full_name,birth_date,gender,status,admitted_on,card_number\n\
               Nguyễn\u{0}Văn Một,1980-01-01,Nam,chính thức,2010-05-19,11\n\
               Lê Thị Hai,1990-02-28,Nữ,dự bị,2025-01-01,1\u{202E}2\n";
    let res = app
        .http
        .post(app.url(&format!("/api/v1/members/import?org_id={cell}")))
        .bearer_auth(&organizer)
        .header("content-type", "text/csv")
        .body(csv)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body: serde_json::Value = res.json().await.unwrap();
    let fields: Vec<&str> =
        body["error"]["fields"].as_array().unwrap().iter().map(|f| f["field"].as_str().unwrap()).collect();
    assert_eq!(fields, ["row 2: full_name", "row 3: card_number"], "{body}");

    // A page's form.
    let cookie = sign_in(&app, "vanphong").await;
    let (_, home) = page(&app, &cookie, "/").await;
    let csrf = csrf_of(&home);
    let (status, _, html) = post_form(
        &app,
        &cookie,
        "/tasks/new",
        &[("csrf", csrf.as_str()), ("title", "Giao\u{0}việc"), ("lead_code", "P-CLO")],
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{html}");
    assert!(html.contains("U+0000"), "the page says why");
    assert_eq!(app.audit_len().await, before + 1, "only the good task was written");
}

/// Reliability item 8: an unknown API route answers the API's JSON 404, not the pages' HTML;
/// a JSON body over the limit answers 413, not 400.
async fn the_api_answers_its_own_errors(app: TestApp) {
    let office = app.login("vanphong").await;
    let res = app.http.get(app.url("/api/v1/khong-co-duong-nay")).bearer_auth(&office).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    assert!(res.headers()["content-type"].to_str().unwrap().starts_with("application/json"));
    let body: serde_json::Value = res.json().await.unwrap();
    assert_eq!(body["error"]["code"], "not_found", "{body}");

    // Serde's English stays out of the messages; a page's bad query shows a page.
    let commune = app.org_id("P-CLO").await;
    let (status, body) =
        app.post(&office, "/api/v1/tasks", json!({"title": "Việc", "lead_org_id": "xã", "due_on": "2030-03-31"})).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert!(!body.to_string().contains("expected"), "{body}");
    let (status, body) = app.get(&office, &format!("/api/v1/tasks?org_id={commune}&status=x&limit=abc")).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert!(!body.to_string().contains("invalid digit"), "{body}");
    let cookie = sign_in(&app, "vanphong").await;
    let (status, html) = page(&app, &cookie, "/members?org_id=abc").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(html.contains("<html") && html.contains("Tham số"), "{html}");

    let huge = format!("{{\"title\": \"{}\"}}", "a".repeat(3 << 20));
    let res = app
        .http
        .post(app.url("/api/v1/tasks"))
        .bearer_auth(&office)
        .header("content-type", "application/json")
        .body(huge)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::PAYLOAD_TOO_LARGE);
    let body: serde_json::Value = res.json().await.unwrap();
    assert_eq!(body["error"]["code"], "payload_too_large", "{body}");
}
