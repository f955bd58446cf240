//! The command line of CONTRACT.md, run as a separate process.

use std::io::{BufRead, BufReader, Write};
use std::process::{Command, Stdio};

use crate::harness::TestDb;

fn dangvu() -> Command {
    Command::new(env!("CARGO_BIN_EXE_dangvu"))
}

fn run(args: &[&str], stdin: &str) -> (i32, String) {
    let mut child = dangvu()
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start dangvu");
    child.stdin.take().unwrap().write_all(stdin.as_bytes()).unwrap();
    let out = child.wait_with_output().unwrap();
    let text = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    (out.status.code().unwrap_or(-1), text)
}

async fn admin_commands(db: TestDb) {
    let url = db.url.clone();
    let (code, out) = run(&["migrate", "--database-url", &url], "");
    assert_eq!(code, 0, "{out}");
    let (code, out) = run(&["migrate", "--database-url", &url], "");
    assert_eq!(code, 0, "migrate is safe to run twice: {out}");

    let (code, out) = run(
        &["user", "add", "--database-url", &url, "--username", "quantri", "--role", "admin", "--password-stdin"],
        "mat-khau-rat-dai\n",
    );
    assert_eq!(code, 0, "{out}");
    let (code, out) = run(
        &["user", "add", "--database-url", &url, "--username", "x2", "--role", "vua", "--password-stdin"],
        "mat-khau-rat-dai\n",
    );
    assert_eq!(code, 2, "bad role is bad input: {out}");
    let (code, _) = run(
        &[
            "user",
            "add",
            "--database-url",
            &url,
            "--username",
            "x3",
            "--role",
            "viewer",
            "--org",
            "KHONG-CO",
            "--password-stdin",
        ],
        "mat-khau-rat-dai\n",
    );
    assert_eq!(code, 2);
    let (code, _) = run(
        &["user", "add", "--database-url", &url, "--username", "x4", "--role", "viewer", "--password-stdin"],
        "ngan\n",
    );
    assert_eq!(code, 2, "short password");
    let (code, _) = run(&["user", "add", "--database-url", &url, "--username", "x5", "--role", "viewer"], "");
    assert_eq!(code, 2, "the password comes only from standard input");

    // The account signs in; its password never reached the log.
    let conn = db.connect().await;
    let (user, hash) = dangvu_store::accounts::for_login(&conn, "quantri").await.unwrap().unwrap();
    assert_eq!(user.org_id, None);
    assert!(hash.starts_with("$argon2id$"));
    assert!(dangvu_store::accounts::verify_password(Some(hash), "mat-khau-rat-dai".into()).await);
    let log = dangvu_store::audit::list(&conn, None, 10).await.unwrap();
    assert_eq!(log[0].action, "user.create");
    assert!(!serde_json::to_string(&log[0].after).unwrap().contains("mat-khau"));

    let (code, out) = run(&["audit", "verify", "--database-url", &url], "");
    assert_eq!(code, 0, "{out}");

    // A members file is checked whole; nothing is written when a row is bad.
    let file = std::env::temp_dir().join(format!("dangvu-cli-members-{}.csv", std::process::id()));
    std::fs::write(
        &file,
        "cell;full_name;birth_date;gender;status;admitted_on\n\
         KHONG-CO;Nguyễn Văn Một;1980-01-01;Nam;chính thức;2010-05-19\n\
         KHONG-CO;Lê Thị Hai;31/02/1990;Nữ;dự bị;2025-01-01\n",
    )
    .unwrap();
    let (code, out) = run(&["members", "import", "--database-url", &url, file.to_str().unwrap()], "");
    assert_eq!(code, 2, "{out}");
    assert!(out.contains("row 2: cell: Không có chi bộ mã \"KHONG-CO\""), "{out}");
    assert!(out.contains("row 3: birth_date"), "{out}");
    let (code, out) =
        run(&["members", "import", "--database-url", &url, "--cell", "KHONG-CO", file.to_str().unwrap()], "");
    assert_eq!(code, 2, "{out}");
    let _ = std::fs::remove_file(&file);
    assert_eq!(dangvu_store::audit::list(&conn, None, 10).await.unwrap().len(), log.len(), "nothing was written");

    // Deleting the last entry is found too.
    crate::audit::tamper(&conn, "DELETE FROM audit_log WHERE id = 1").await;
    let (code, out) = run(&["audit", "verify", "--database-url", &url], "");
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("entry") && out.contains("removed"), "{out}");

    let (code, out) = run(&["serve", "--database-url", "mysql://x"], "");
    assert_eq!(code, 2, "{out}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn admin_commands_sqlite() {
    admin_commands(TestDb::sqlite()).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn admin_commands_postgres() {
    if let Some(db) = TestDb::postgres().await {
        admin_commands(db).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn serve_refuses_an_unmigrated_database() {
    let db = TestDb::sqlite();
    let (code, out) = run(&["serve", "--database-url", &db.url, "--bind", "127.0.0.1:0"], "");
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("migrate"));
}

/// The identity key: a bad one in the environment is refused (exit 2); a missing key file is
/// created beside a SQLite database, readable by its owner only, and read again the next time.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn serve_reads_or_creates_the_identity_key() {
    let db = TestDb::sqlite();
    let out = dangvu()
        .args(["serve", "--database-url", &db.url, "--bind", "127.0.0.1:0"])
        .env("DANGVU_IDENTITY_KEY", "not a key")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stderr).contains("DANGVU_IDENTITY_KEY"));
    let key_file = format!("{}.identity-key", db.url.trim_start_matches("sqlite://"));
    let _ = std::fs::remove_file(&key_file);
    let (_, out) = run(&["serve", "--database-url", &db.url, "--bind", "127.0.0.1:0"], "");
    assert!(out.contains("identity key"), "{out}");
    let key = std::fs::read_to_string(&key_file).expect("the key file");
    assert!(dangvu_store::petitions::IdentityKey::from_base64(&key).is_ok());
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(std::fs::metadata(&key_file).unwrap().permissions().mode() & 0o777, 0o600);
    }
    let (_, out) = run(&["serve", "--database-url", &db.url, "--bind", "127.0.0.1:0"], "");
    assert!(!out.contains("created the identity key"), "read again, not created: {out}");
    assert_eq!(std::fs::read_to_string(&key_file).unwrap(), key);
    let _ = std::fs::remove_file(&key_file);
}

/// `dangvu demo` creates the province, prints the address and the accounts, and serves.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn demo_starts_and_serves() {
    let file = std::env::temp_dir().join(format!("dangvu-demo-test-{}.sqlite", std::process::id()));
    let _ = std::fs::remove_file(&file);
    let mut child = dangvu()
        .args(["demo", "--db", file.to_str().unwrap(), "--bind", "127.0.0.1:0"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let first = lines.next().unwrap().unwrap();
    let addr = first.split("http://").nth(1).expect("address line").trim().to_owned();
    let mut printed = String::new();
    for _ in 0..7 {
        printed.push_str(&lines.next().unwrap().unwrap());
        printed.push('\n');
    }
    assert!(
        printed.contains("admin") && printed.contains("bithu") && printed.contains(dangvu::demo::DEMO_PASSWORD),
        "{printed}"
    );
    let health = reqwest::get(format!("http://{addr}/healthz")).await.unwrap();
    assert_eq!(health.status(), 200);
    let _ = child.kill();
    let _ = child.wait();
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", file.display()));
    }
}
