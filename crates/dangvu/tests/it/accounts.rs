//! Sessions, errors, health and the OpenAPI document.

use reqwest::StatusCode;
use serde_json::json;

use crate::both_backends;
use crate::harness::TestApp;

both_backends!(
    health_and_openapi,
    sign_in_and_out,
    wrong_password_is_throttled,
    parallel_guesses_are_throttled_too,
    errors_are_structured,
    accounts,
    a_strangers_guesses_do_not_lock_the_admin_out
);

async fn health_and_openapi(app: TestApp) {
    let (status, body) = app.send("GET", "/healthz", None, None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body, json!({"status": "ok"}));

    let (status, doc) = app.send("GET", "/api/v1/openapi.json", None, None).await;
    assert_eq!(status, StatusCode::OK);
    assert!(doc["openapi"].as_str().unwrap().starts_with("3."));
    let paths = doc["paths"].as_object().unwrap();
    for p in [
        "/api/v1/session",
        "/api/v1/orgs",
        "/api/v1/orgs/{id}",
        "/api/v1/orgs/{id}/tree",
        "/api/v1/orgs/{id}/stats",
        "/api/v1/orgs/{id}/move",
        "/api/v1/orgs/{id}/merge",
        "/api/v1/orgs/{id}/dissolve",
        "/api/v1/users",
    ] {
        assert!(paths.contains_key(p), "{p} is documented");
    }
}

async fn sign_in_and_out(app: TestApp) {
    let (status, body) = app
        .send(
            "POST",
            "/api/v1/session",
            None,
            Some(json!({"username": "tochuc", "password": crate::harness::PASSWORD})),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let token = body["token"].as_str().unwrap().to_owned();
    assert!(token.len() >= 40, "a long random token");
    assert_eq!(body["user"]["username"], "tochuc");
    assert_eq!(body["user"]["role"], "organizer");
    assert_eq!(body["user"]["org_id"], app.org_id("TU-NA").await);
    assert!(body["expires_at"].as_str().unwrap().contains('T'));

    let (status, me) = app.get(&token, "/api/v1/me").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(me["scope"]["code"], "TU-NA");

    // A second sign-in gives a different token; both work until ended.
    let other = app.login("tochuc").await;
    assert_ne!(other, token);

    let (status, _) = app.send("DELETE", "/api/v1/session", Some(&token), None).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (status, body) = app.get(&token, "/api/v1/me").await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(body["error"]["code"], "unauthorized");
    assert_eq!(app.get(&other, "/api/v1/me").await.0, StatusCode::OK);

    let (status, _) = app.send("GET", "/api/v1/orgs", None, None).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let (status, _) = app.get("not-a-token", "/api/v1/orgs").await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
}

async fn wrong_password_is_throttled(app: TestApp) {
    for _ in 0..5 {
        let (status, body) = app
            .send("POST", "/api/v1/session", None, Some(json!({"username": "vanphong", "password": "sai-mat-khau"})))
            .await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "{body}");
    }
    // Locked now, even with the right password.
    let (status, body) = app
        .send(
            "POST",
            "/api/v1/session",
            None,
            Some(json!({"username": "vanphong", "password": crate::harness::PASSWORD})),
        )
        .await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS, "{body}");
    assert_eq!(body["error"]["code"], "too_many_requests");
    // Another account from the same address still signs in (the address limit is higher).
    app.login("lanhdao").await;
    // An unknown account answers exactly like a wrong password.
    let (status, body) =
        app.send("POST", "/api/v1/session", None, Some(json!({"username": "khong-co", "password": "x"}))).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(body["error"]["code"], "unauthorized");
}

/// Guesses sent all at once are counted before any password is checked: of sixty wrong
/// passwords for one account, five are checked and the rest refused, and the account is then
/// locked as after five in a row. The accounts' own sign-ins from the same address go on.
async fn parallel_guesses_are_throttled_too(app: TestApp) {
    let guesses = (0..60).map(|i| {
        let app = &app;
        async move {
            let body = json!({"username": "vanphong", "password": format!("doan-mo-{i}")});
            app.send("POST", "/api/v1/session", None, Some(body)).await.0
        }
    });
    let answers = futures_util::future::join_all(guesses).await;
    let checked = answers.iter().filter(|s| **s == StatusCode::UNAUTHORIZED).count();
    let refused = answers.iter().filter(|s| **s == StatusCode::TOO_MANY_REQUESTS).count();
    assert_eq!((checked, refused), (5, 55), "{answers:?}");
    let (status, _) = app
        .send(
            "POST",
            "/api/v1/session",
            None,
            Some(json!({"username": "vanphong", "password": crate::harness::PASSWORD})),
        )
        .await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS);
    // Sign-ins that succeed do not use up the address's allowance.
    for _ in 0..25 {
        app.login("lanhdao").await;
    }
}

async fn errors_are_structured(app: TestApp) {
    let token = app.login("admin").await;
    let (status, body) = app.get(&token, "/api/v1/orgs/999999").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(body["error"]["code"], "not_found");
    assert!(body["error"]["message"].is_string());
    let (status, _) = app.get(&token, "/api/v1/orgs/abc").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, body) = app.get(&token, "/api/v1/orgs?limit=501").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(body["error"]["fields"][0]["field"], "limit");
    let (status, body) = app.get(&token, "/api/v1/orgs/1?on=31/02/2025").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(body["error"]["fields"][0]["field"], "on");
    // Malformed JSON is a 400 with the same shape, never a 500.
    let res = app
        .http
        .post(app.url("/api/v1/orgs"))
        .bearer_auth(&token)
        .header("content-type", "application/json")
        .body("{\"code\":")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
    let body: serde_json::Value = res.json().await.unwrap();
    assert_eq!(body["error"]["code"], "bad_request");
    let (status, body) = app.post(&token, "/api/v1/orgs", json!({"name": "Thiếu mã"})).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(body["error"]["code"], "validation_failed");
}

async fn accounts(app: TestApp) {
    let admin = app.login("admin").await;
    let commune = app.org_id("P-TVINH").await;
    let (status, user) = app
        .post(
            &admin,
            "/api/v1/users",
            json!({"username": "bt.truongvinh", "password": "mat-khau-dai-1", "role": "secretary", "org_id": commune}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{user}");
    assert_eq!(user["role"], "secretary");
    assert_eq!(user["org_id"], commune);
    let token = app.login_with("bt.truongvinh", "mat-khau-dai-1").await;
    let (_, me) = app.get(&token, "/api/v1/me").await;
    assert_eq!(me["scope"]["code"], "P-TVINH");

    // Only admins create accounts.
    let organizer = app.login("tochuc").await;
    let (status, _) = app
        .post(&organizer, "/api/v1/users", json!({"username": "x1234", "password": "mat-khau-dai-1", "role": "viewer"}))
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);

    // Every problem at once, nothing written.
    let before = app.audit_len().await;
    let (status, body) = app
        .post(&admin, "/api/v1/users", json!({"username": "a", "password": "ngan", "role": "vua", "org_id": commune}))
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let fields: Vec<&str> =
        body["error"]["fields"].as_array().unwrap().iter().map(|f| f["field"].as_str().unwrap()).collect();
    assert_eq!(fields, ["username", "password", "role"]);
    let (status, _) = app
        .post(
            &admin,
            "/api/v1/users",
            json!({"username": "bt.truongvinh", "password": "mat-khau-dai-1", "role": "viewer", "org_id": commune}),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "duplicate username");
    // The password policy of ASVS level 2: long enough is not enough when it is guessable.
    for weak in ["aaaaaaaaaaaa", "Password2024!", "matkhau123456", "qwertyuiop123", "nv.vinh-2026-nv.vinh"] {
        let (status, body) = app
            .post(
                &admin,
                "/api/v1/users",
                json!({"username": "nv.vinh", "password": weak, "role": "viewer", "org_id": commune}),
            )
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{weak}: {body}");
        assert_eq!(body["error"]["fields"][0]["field"], "password", "{weak}: {body}");
    }
    assert_eq!(app.audit_len().await, before);

    let (status, list) = app.get(&admin, "/api/v1/users?limit=500").await;
    assert_eq!(status, StatusCode::OK);
    assert!(list["items"].as_array().unwrap().iter().any(|u| u["username"] == "bt.truongvinh"));
    assert!(list["items"].as_array().unwrap().iter().all(|u| u.get("password_hash").is_none()));
}

/// Reliability item 8: five wrong guesses lock an account for the address they came from, not
/// for everyone (the only administrator is not shut out by a stranger), and `dangvu user
/// unlock` clears every lock of an account.
async fn a_strangers_guesses_do_not_lock_the_admin_out(app: TestApp) {
    use dangvu_web::error::AppError;
    let state = dangvu_web::AppState { db: app.db.clone(), config: std::sync::Arc::new(dangvu_web::Config::default()) };
    let sign_in = |address: &'static str, password: &'static str| {
        let state = state.clone();
        async move { dangvu_web::accounts::sign_in(&state, "admin", password, address).await }
    };
    for _ in 0..5 {
        assert!(matches!(sign_in("10.0.0.66", "doan-mo").await, Err(AppError::Unauthorized)));
    }
    let right = crate::harness::PASSWORD;
    assert!(matches!(sign_in("10.0.0.66", right).await, Err(AppError::TooManyRequests(_))));
    assert!(sign_in("10.0.0.2", right).await.is_ok(), "the administrator's own address signs in");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_dangvu"))
        .args(["user", "unlock", "--database-url", app.database_url(), "--username", "ADMIN"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stderr).contains("sign-in lock(s) of ADMIN cleared"));
    assert!(sign_in("10.0.0.66", right).await.is_ok(), "unlocked");
}
