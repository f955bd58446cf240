//! The drafts of an import: the file sent for the preview is kept in the database, so that
//! any server behind the load balancer can show it again and import it, and only for the
//! account that sent it.

use reqwest::StatusCode;

use crate::both_backends;
use crate::harness::{TestApp, csrf_of, multipart, page, post_form, sign_in};

both_backends!(an_import_previewed_on_one_server_is_confirmed_on_another);

/// The organiser sends a file to one server and confirms the import on another, with the same
/// session: what the first kept, the second finds in the database.
async fn an_import_previewed_on_one_server_is_confirmed_on_another(app: TestApp) {
    let organizer = sign_in(&app, "khoi").await;
    let (_, html) = page(&app, &organizer, "/members").await;
    let csrf = csrf_of(&html);
    let file = "Họ và tên,Ngày sinh,Giới tính,Trạng thái,Ngày vào Đảng\n\
                Phan Văn Mười Một,1981-02-03,Nam,full,2011-05-19\n\
                Hồ Thị Mười Hai,04/05/1992,Nữ,dự bị,2025-02-01\n";
    let cell = "DUK-CCQ-STC-CB01";
    let (content_type, body) =
        multipart(&[("csrf", csrf.as_str()), ("cell_code", cell)], Some(("file", "ds.csv", file.as_bytes())));
    let audited = app.audit_len().await;
    let res = app
        .http
        .post(app.url("/members/import"))
        .header("cookie", &organizer)
        .header("content-type", content_type)
        .body(body)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK, "every row is valid");
    let html = res.text().await.unwrap();
    assert!(html.contains("Nhập 2 đảng viên"), "{html}");
    let token = html.split("name=\"token\" value=\"").nth(1).and_then(|r| r.split('"').next()).expect("a draft token");

    let other_server = app.second_instance().await;
    let csrf = csrf.as_str();
    let review = |action: &'static str| {
        [
            ("csrf", csrf),
            ("token", token),
            ("cell_code", cell),
            ("col0", "full_name"),
            ("col1", "birth_date"),
            ("col2", "gender"),
            ("col3", "status"),
            ("col4", "admitted_on"),
            ("action", action),
        ]
    };
    let (check, import) = (review("check"), review("import"));

    // The other server shows the draft again...
    let (status, _, html) = post_form(&other_server, &organizer, "/members/import/review", &check).await;
    assert_eq!(status, StatusCode::OK, "the draft is found on the other server: {html}");
    assert!(html.contains("Nhập 2 đảng viên") && html.contains("Hồ Thị Mười Hai"), "{html}");
    assert_eq!(app.audit_len().await, audited, "keeping a draft changes nothing in the registry");
    // ...to its account only...
    let other = sign_in(&other_server, "tochuc").await;
    let (_, other_page) = page(&other_server, &other, "/members").await;
    let other_csrf = csrf_of(&other_page);
    let stolen = [("csrf", other_csrf.as_str()), ("token", token), ("cell_code", cell), ("action", "import")];
    let (status, _, html) = post_form(&other_server, &other, "/members/import/review", &stolen).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(html.contains("hết hạn"), "another account's draft is not found: {html}");

    // ...and imports it.
    let audited = app.audit_len().await;
    let (status, location, html) = post_form(&other_server, &organizer, "/members/import/review", &import).await;
    assert_eq!((status, location.as_str()), (StatusCode::SEE_OTHER, "/members?done=import"), "{html}");
    assert_eq!(app.audit_len().await, audited + 1, "the import is one entry of the audit log");
    let last = app.db.query_one("SELECT action FROM audit_log ORDER BY id DESC LIMIT 1", &[]).await.unwrap().unwrap();
    assert_eq!(last.text(0).unwrap(), "member.import");
    let (_, html) = page(&app, &organizer, "/members?q=ho+thi+muoi+hai").await;
    assert!(html.contains("Hồ Thị Mười Hai"), "the members are in the registry: {html}");
    let (_, html) = page(&other_server, &organizer, "/members?q=phan+van+muoi+mot").await;
    assert!(html.contains("Phan Văn Mười Một"), "{html}");

    // A draft is imported once, whichever server is asked.
    let (status, _, html) = post_form(&app, &organizer, "/members/import/review", &import).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(html.contains("hết hạn"), "{html}");
}
