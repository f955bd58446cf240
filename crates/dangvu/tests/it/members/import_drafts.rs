//! The drafts of an import: the file sent for the preview is kept in the database, so that
//! any server behind the load balancer can show it again and import it, and only for the
//! account that sent it.

use dangvu_store::members::import_drafts::{DraftFile, LIFETIME_SECONDS, MAX_DRAFTS, forget, get, keep};
use reqwest::StatusCode;

use crate::both_backends;
use crate::harness::{TestApp, csrf_of, multipart, page, post_form, sign_in};

both_backends!(an_import_previewed_on_one_server_is_confirmed_on_another, drafts_belong_to_their_account);

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

/// A draft is found by its token for its account only, until it is imported (forgotten) or
/// expires; an account keeps at most `MAX_DRAFTS`, the oldest going first.
async fn drafts_belong_to_their_account(app: TestApp) {
    let db = &app.db;
    let account = async |username: &str| {
        let row = db.query_one("SELECT id FROM users WHERE username = $1", dangvu_store::params![username]).await;
        row.unwrap().unwrap().int(0).unwrap()
    };
    let (khoi, tochuc) = (account("khoi").await, account("tochuc").await);
    let drafts =
        async || db.query_one("SELECT COUNT(*) FROM import_drafts", &[]).await.unwrap().unwrap().int(0).unwrap();
    let file = DraftFile::new("ds.csv", b"full_name\n".to_vec());

    let token = keep(db, khoi, &file).await.unwrap();
    assert_eq!(get(db, khoi, &token).await.unwrap(), Some(file.clone()));
    assert_eq!(get(db, tochuc, &token).await.unwrap(), None, "another account's token reads as none");
    assert_eq!(get(db, khoi, "not a token").await.unwrap(), None);
    let stored = db
        .query_one("SELECT COUNT(*) FROM import_drafts WHERE token_hash = $1", dangvu_store::params![token.as_str()])
        .await
        .unwrap();
    assert_eq!(stored.unwrap().int(0).unwrap(), 0, "only the token's hash is stored");
    let mut tx = db.begin().await.unwrap();
    assert!(!forget(&mut tx, tochuc, &token).await.unwrap(), "nor can another account forget it");
    assert!(forget(&mut tx, khoi, &token).await.unwrap());
    tx.commit().await.unwrap();
    assert_eq!(get(db, khoi, &token).await.unwrap(), None);
    let mut tx = db.begin().await.unwrap();
    assert!(!forget(&mut tx, khoi, &token).await.unwrap(), "a draft is forgotten once");
    drop(tx);

    // An expired draft is not found, and is deleted when another is kept.
    let old = keep(db, khoi, &file).await.unwrap();
    let mut tx = db.begin().await.unwrap();
    tx.execute("UPDATE import_drafts SET kept_at = kept_at - $1", dangvu_store::params![LIFETIME_SECONDS * 1_000_000])
        .await
        .unwrap();
    tx.commit().await.unwrap();
    assert_eq!(get(db, khoi, &old).await.unwrap(), None, "expired");
    assert_eq!(drafts().await, 1);
    let kept = keep(db, tochuc, &file).await.unwrap();
    assert_eq!(drafts().await, 1, "the expired draft was deleted, whoever kept the new one");

    // The limits are each account's: the oldest go.
    let mut tokens = vec![kept];
    for _ in 0..MAX_DRAFTS {
        tokens.push(keep(db, tochuc, &file).await.unwrap());
    }
    let mine = keep(db, khoi, &file).await.unwrap();
    assert_eq!(get(db, tochuc, &tokens[0]).await.unwrap(), None, "the oldest went");
    for token in &tokens[1..] {
        assert!(get(db, tochuc, token).await.unwrap().is_some());
    }
    assert!(get(db, khoi, &mine).await.unwrap().is_some(), "another account's drafts do not count");
    assert_eq!(drafts().await, MAX_DRAFTS as i64 + 1);
}
