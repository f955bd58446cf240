//! The web interface over HTTP: sign-in with a cookie, CSRF on every form, scope,
//! security headers.

use reqwest::StatusCode;

use crate::both_backends;
use crate::harness::{TestApp, csrf_of, page, sign_in};

both_backends!(pages_sign_in_browse_and_change);

async fn pages_sign_in_browse_and_change(app: TestApp) {
    // Not signed in: to the sign-in page, then back.
    let res = app.http.get(app.url("/orgs")).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(res.headers()["location"], "/login?next=%2Forgs");
    let res = app.http.get(app.url("/login")).send().await.unwrap();
    let csp = res.headers()["content-security-policy"].to_str().unwrap().to_owned();
    assert!(csp.contains("script-src 'self'") && !csp.contains("unsafe-inline"));
    assert_eq!(res.headers()["x-frame-options"], "DENY");
    assert!(res.text().await.unwrap().contains("Đăng nhập"));

    // A wrong password shows the form again, in Vietnamese.
    let res = app
        .http
        .post(app.url("/login"))
        .header("content-type", "application/x-www-form-urlencoded")
        .body("username=khoi&password=sai")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
    assert!(res.text().await.unwrap().contains("không đúng"));

    let cookie = sign_in(&app, "khoi").await;
    let (status, home) = page(&app, &cookie, "/").await;
    assert_eq!(status, StatusCode::OK);
    assert!(home.contains("Đảng bộ Khối các cơ quan tỉnh"));
    assert!(home.contains("419"), "the bloc's cells are counted on the dashboard");

    let bloc = app.org_id("DUK-CCQ").await;
    let (status, html) = page(&app, &cookie, &format!("/orgs/{bloc}")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("Đảng bộ Sở Tài chính"));
    let finance = app.org_id("DUK-CCQ-STC").await;
    let (status, kids) = page(&app, &cookie, &format!("/orgs/{finance}/children")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(kids.contains("Chi bộ"));

    // Outside the scope: not found, as a page.
    let province = app.org_id("TU-NA").await;
    let (status, html) = page(&app, &cookie, &format!("/orgs/{province}")).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(html.contains("Không tìm thấy"));
    let (status, _) = page(&app, &cookie, "/users").await;
    assert_eq!(status, StatusCode::FORBIDDEN);

    // A form without the session's token is refused; with it, the change is made.
    let cell = app.org_id("DUK-CCQ-STC-CB01").await;
    let post = |body: String| {
        app.http
            .post(app.url(&format!("/orgs/{cell}/rename")))
            .header("cookie", &cookie)
            .header("content-type", "application/x-www-form-urlencoded")
            .body(body)
            .send()
    };
    let res = post("name=Chi+b%E1%BB%99+m%E1%BB%9Bi&effective_on=2026-01-01".into()).await.unwrap();
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    let (_, html) = page(&app, &cookie, &format!("/orgs/{cell}")).await;
    let csrf = csrf_of(&html);
    let res = post(format!("csrf={csrf}&name=Chi+b%E1%BB%99+m%E1%BB%9Bi&effective_on=")).await.unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let (_, html) = page(&app, &cookie, &format!("/orgs/{cell}?done=rename")).await;
    assert!(html.contains("Chi bộ mới") && html.contains("Đã đổi tên"));

    // Invalid input shows the form again with the reason, and changes nothing.
    let res = post(format!("csrf={csrf}&name=+&effective_on=")).await.unwrap();
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.text().await.unwrap().contains("không được để trống"));

    // A cross-site post is refused even with a token.
    let res = app
        .http
        .post(app.url(&format!("/orgs/{cell}/rename")))
        .header("cookie", &cookie)
        .header("origin", "http://evil.example")
        .header("content-type", "application/x-www-form-urlencoded")
        .body(format!("csrf={csrf}&name=X&effective_on="))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::FORBIDDEN);

    // Signing out ends the session.
    let res = app
        .http
        .post(app.url("/logout"))
        .header("cookie", &cookie)
        .header("content-type", "application/x-www-form-urlencoded")
        .body(format!("csrf={csrf}"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let (status, _) = page(&app, &cookie, "/").await;
    assert_eq!(status, StatusCode::SEE_OTHER);

    // The admin's pages.
    let cookie = sign_in(&app, "admin").await;
    let (status, html) = page(&app, &cookie, "/audit?verify=1").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("Nhật ký toàn vẹn"));
    let (status, html) = page(&app, &cookie, "/users").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("bithu"));
}
