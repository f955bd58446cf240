//! The audit log: every change recorded with who, when, before and after, in a hash
//! chain that finds any edited or removed entry.

use dangvu_store::{Backend, Db};
use reqwest::StatusCode;
use serde_json::json;

use crate::both_backends;
use crate::harness::TestApp;

both_backends!(changes_are_audited, tampering_is_found, a_truncated_log_is_caught_by_the_paper);

async fn changes_are_audited(app: TestApp) {
    let token = app.login("tochuc").await;
    let cell = app.org_id("DUK-CCQ-STC-CB01").await;
    let (status, _) =
        app.post(&token, &format!("/api/v1/orgs/{cell}/rename"), json!({"name": "Chi bộ Văn phòng Sở"})).await;
    assert_eq!(status, StatusCode::OK);

    let admin = app.login("admin").await;
    let (status, log) = app.get(&admin, "/api/v1/audit?limit=5").await;
    assert_eq!(status, StatusCode::OK);
    let last = &log["items"][0];
    assert_eq!(last["action"], "org.rename");
    assert_eq!(last["actor_name"], "tochuc");
    assert_eq!(last["entity_id"], cell);
    assert_eq!(last["before"]["name"], "Chi bộ Văn phòng");
    assert_eq!(last["after"]["name"], "Chi bộ Văn phòng Sở");
    assert!(last["at"].as_str().unwrap().contains('T'));
    assert!(log["next_cursor"].is_string());
    let (_, older) =
        app.get(&admin, &format!("/api/v1/audit?limit=5&cursor={}", log["next_cursor"].as_str().unwrap())).await;
    assert!(older["items"][0]["id"].as_i64().unwrap() < log["items"][4]["id"].as_i64().unwrap());

    let (_, check) = app.get(&admin, "/api/v1/audit/verify").await;
    assert_eq!(check["intact"], true);
    assert!(check["entries"].as_i64().unwrap() > 500, "the demo itself is in the log");

    // Only admins read the log.
    let (status, _) = app.get(&token, "/api/v1/audit").await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    // The log refuses updates and deletes through SQL as well.
    let mut tx = app.db.begin().await.unwrap();
    assert!(tx.execute("UPDATE audit_log SET actor_name = 'x' WHERE id = 1", &[]).await.is_err());
    drop(tx);
    let mut tx = app.db.begin().await.unwrap();
    assert!(tx.execute("DELETE FROM audit_log WHERE id = 1", &[]).await.is_err());
}

/// What an attacker with direct access to the database would do: lift the guard, edit.
pub async fn tamper(db: &Db, sql: &str) {
    let (off, on) = match db.backend() {
        Backend::Sqlite => ("DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete;", ""),
        Backend::Postgres => (
            "ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_change;",
            "ALTER TABLE audit_log ENABLE TRIGGER audit_log_no_change;",
        ),
    };
    let mut tx = db.begin().await.unwrap();
    tx.batch(off).await.unwrap();
    tx.batch(sql).await.unwrap();
    if !on.is_empty() {
        tx.batch(on).await.unwrap();
    }
    tx.commit().await.unwrap();
}

async fn tampering_is_found(app: TestApp) {
    let admin = app.login("admin").await;
    tamper(&app.db, "UPDATE audit_log SET after = '{\"name\":\"Giả mạo\"}' WHERE id = 7").await;
    let (_, check) = app.get(&admin, "/api/v1/audit/verify").await;
    assert_eq!(check["intact"], false);
    assert!(check["problem"].as_str().unwrap().contains("entry 7"), "{check}");
}

/// Reliability item 6: every document prints the audit log's head, and `dangvu audit verify
/// --expect HASH` proves the log still holds it. Cutting the log back to before a printed
/// head, head record included, leaves a chain that verifies; the paper catches it.
async fn a_truncated_log_is_caught_by_the_paper(app: TestApp) {
    let token = app.login("vanphong").await;
    let bloc = app.org_id("DUK-CCQ").await;
    let (_, list) = app.get(&token, &format!("/api/v1/elections?org_id={bloc}")).await;
    let sealed = list["items"].as_array().unwrap().iter().find(|e| e["status"] == "sealed").expect("the demo's count");
    let res = app
        .http
        .get(app.url(&format!("/api/v1/elections/{}/minutes?format=pdf", sealed["id"])))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let pdf = res.bytes().await.unwrap();
    let (entry, hash) = dangvu_store::audit::head(&app.db).await.unwrap().expect("a head");
    let path = std::env::temp_dir().join(format!("dangvu-anchor-{}-{entry}.pdf", std::process::id()));
    std::fs::write(&path, &pdf).unwrap();
    let out = std::process::Command::new("pdftotext").args(["-enc", "UTF-8"]).arg(&path).arg("-").output();
    let _ = std::fs::remove_file(&path);
    match out {
        Ok(out) => {
            let flat = String::from_utf8_lossy(&out.stdout).split_whitespace().collect::<Vec<_>>().join(" ");
            assert!(flat.contains(&format!("mục {entry}, mã {hash}")), "the head is printed: {flat}");
        }
        Err(e) => assert!(std::env::var("CI").as_deref() != Ok("true"), "pdftotext is required on CI: {e}"),
    }
    let verify = |expect: &str| {
        std::process::Command::new(env!("CARGO_BIN_EXE_dangvu"))
            .args(["audit", "verify", "--database-url", app.database_url(), "--expect", expect])
            .output()
            .unwrap()
            .status
            .code()
    };
    assert_eq!(verify(&hash), Some(0));
    assert_eq!(verify(&"0".repeat(64)), Some(1), "a head the log never had");
    // Someone with the database cuts the log back to before the printed head and moves the
    // head record with it: the chain verifies by itself.
    let previous = app.db.query("SELECT hash FROM audit_log WHERE id = $1", &[(entry - 1).into()]).await.unwrap()[0]
        .text(0)
        .unwrap();
    tamper(&app.db, &format!("DELETE FROM audit_log WHERE id >= {entry}")).await;
    let mut tx = app.db.begin().await.unwrap();
    tx.execute(
        "UPDATE audit_head SET last_id = $1, last_hash = $2 WHERE id = 1",
        &[(entry - 1).into(), previous.as_str().into()],
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
    let (_, check) = app.get(&app.login("admin").await, "/api/v1/audit/verify").await;
    assert_eq!(check["intact"], true, "a cut chain with its head moved verifies by itself: {check}");
    assert_eq!(verify(&hash), Some(1), "the paper catches it");
}
