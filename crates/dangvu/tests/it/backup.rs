//! `dangvu backup`: a consistent copy taken while the server writes, checked and restored
//! (reliability issue, item 3). SQLite by `VACUUM INTO`, PostgreSQL by `pg_dump`.

use std::process::Command;

use dangvu_store::{Backend, Db};
use reqwest::StatusCode;
use serde_json::json;

use crate::both_backends;
use crate::harness::{TestApp, TestDb};

both_backends!(a_backup_taken_under_writes_restores_whole);

fn dangvu(args: &[&str]) -> (i32, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_dangvu")).args(args).output().expect("run dangvu");
    let text = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    (out.status.code().unwrap_or(-1), text)
}

async fn tasks(db: &Db) -> i64 {
    db.query("SELECT COUNT(*) FROM tasks", &[]).await.unwrap()[0].int(0).unwrap()
}

async fn a_backup_taken_under_writes_restores_whole(app: TestApp) {
    let file = std::env::temp_dir().join(format!("dangvu-backup-{}-{:?}.bak", std::process::id(), app.db.backend()));
    let _ = std::fs::remove_file(&file);
    let path = file.to_str().unwrap().to_owned();
    let office = app.login("vanphong").await;
    let commune = app.org_id("P-CLO").await;

    // Writers go on while the copy is taken.
    let before = tasks(&app.db).await;
    let writer = {
        let (http, url, token) = (app.http.clone(), app.url("/api/v1/tasks"), office.clone());
        tokio::spawn(async move {
            let mut acknowledged = 0;
            for i in 0..60 {
                let body = json!({"title": format!("Việc số {i}"), "lead_org_id": commune, "due_on": "2030-03-31"});
                let res = http.post(&url).bearer_auth(&token).json(&body).send().await.unwrap();
                if res.status() == StatusCode::CREATED {
                    acknowledged += 1;
                }
            }
            acknowledged
        })
    };
    let url = app.database_url().to_owned();
    let args = ["backup", "--database-url", url.as_str(), path.as_str()].map(str::to_owned);
    let (code, out) = tokio::task::spawn_blocking(move || {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        dangvu(&args)
    })
    .await
    .unwrap();
    assert_eq!(code, 0, "{out}");
    let acknowledged = writer.await.unwrap();
    assert_eq!(acknowledged, 60);
    let after = tasks(&app.db).await;
    assert_eq!(after, before + 60);

    // Never over a file that exists.
    let (code, out) = dangvu(&["backup", "--database-url", &url, &path]);
    assert_eq!(code, 2, "{out}");

    // The copy checks out and restores to a database with every task acknowledged before it
    // began, and some of those written meanwhile, its audit chain whole.
    let restored = match app.db.backend() {
        Backend::Sqlite => {
            let (code, out) = dangvu(&["backup", "verify", &path]);
            assert_eq!(code, 0, "{out}");
            assert!(out.contains("audit log intact"), "{out}");
            let copy = TestDb::sqlite();
            std::fs::copy(&file, copy.url.strip_prefix("sqlite://").unwrap()).unwrap();
            copy
        }
        Backend::Postgres => {
            let (code, out) = dangvu(&["backup", "verify", &path]);
            assert_eq!(code, 0, "the archive reads whole: {out}");
            let target = TestDb::postgres().await.expect("PostgreSQL");
            let (code, out) = dangvu(&["backup", "verify", &path, "--restore-into", &target.url]);
            assert_eq!(code, 0, "{out}");
            assert!(out.contains("audit log intact"), "{out}");
            let (code, out) = dangvu(&["backup", "verify", &path, "--restore-into", &target.url]);
            assert_eq!(code, 2, "never into a database that has tables: {out}");
            target
        }
    };
    let db = Db::connect(&restored.url).await.unwrap();
    let copied = tasks(&db).await;
    assert!((before..=after).contains(&copied), "{before} ≤ {copied} ≤ {after}");
    assert!(dangvu_store::audit::verify(&db).await.unwrap().is_ok());
    drop(db);

    if app.db.backend() == Backend::Sqlite {
        // A damaged copy is caught.
        let mut bytes = std::fs::read(&file).unwrap();
        let middle = bytes.len() / 2;
        for b in &mut bytes[middle..middle + 4096] {
            *b = !*b;
        }
        std::fs::write(&file, bytes).unwrap();
        let (code, out) = dangvu(&["backup", "verify", &path]);
        assert_ne!(code, 0, "{out}");
    }
    let _ = std::fs::remove_file(&file);
}
