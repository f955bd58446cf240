//! Starts the real application on a free loopback port, on a fresh database of either
//! engine, and talks to it over HTTP.

use std::sync::atomic::{AtomicU32, Ordering};

use dangvu_store::{Backend, Db};
use reqwest::StatusCode;
use serde_json::Value;

pub const PASSWORD: &str = dangvu::demo::DEMO_PASSWORD;

/// Runs one async test body against SQLite and against PostgreSQL.
#[macro_export]
macro_rules! both_backends {
    ($($name:ident),* $(,)?) => {$(
        mod $name {
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                let app = $crate::harness::TestApp::spawn(dangvu_store::Backend::Sqlite).await;
                super::$name(app).await;
            }

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                if let Some(app) = $crate::harness::TestApp::spawn_pg().await {
                    super::$name(app).await;
                }
            }
        }
    )*};
}

/// A fresh database, removed when the test ends.
pub struct TestDb {
    pub url: String,
    cleanup: Option<Cleanup>,
}

enum Cleanup {
    File(std::path::PathBuf),
    Database { admin_url: String, name: String },
}

static COUNTER: AtomicU32 = AtomicU32::new(0);

fn unique() -> String {
    let n = COUNTER.fetch_add(1, Ordering::SeqCst);
    let nanos =
        std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.subsec_nanos()).unwrap_or(0);
    format!("{}_{n}_{nanos}", std::process::id())
}

/// The server PostgreSQL tests create their databases on.
pub fn pg_admin_url() -> String {
    std::env::var("DATABASE_URL").unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".into())
}

impl TestDb {
    pub fn sqlite() -> TestDb {
        let path = std::env::temp_dir().join(format!("dangvu-test-{}.sqlite", unique()));
        TestDb { url: format!("sqlite://{}", path.display()), cleanup: Some(Cleanup::File(path)) }
    }

    /// A new PostgreSQL database. Without a server: `None`, except under CI, where
    /// skipping would hide half the suite, so the test fails.
    pub async fn postgres() -> Option<TestDb> {
        let admin_url = pg_admin_url();
        let connected = tokio_postgres::connect(&admin_url, tokio_postgres::NoTls).await;
        let (client, conn) = match connected {
            Ok(c) => c,
            Err(e) => {
                if std::env::var("CI").as_deref() == Ok("true") {
                    panic!("PostgreSQL is required under CI but {admin_url} cannot be reached: {e}");
                }
                eprintln!("SKIPPED: PostgreSQL not reachable at {admin_url}: {e}");
                return None;
            }
        };
        tokio::spawn(conn);
        let name = format!("dangvu_test_{}", unique());
        // A throwaway database need not wait for the disk at each commit: what a test reads back
        // is the same, and a suite of hundreds of small transactions runs several times faster.
        client.batch_execute(&format!("CREATE DATABASE {name}")).await.expect("create test database");
        client
            .batch_execute(&format!("ALTER DATABASE {name} SET synchronous_commit = off"))
            .await
            .expect("set the test database's commits");
        let url = match admin_url.rsplit_once('/') {
            Some((base, _)) => format!("{base}/{name}"),
            None => panic!("DATABASE_URL must name a database"),
        };
        Some(TestDb { url, cleanup: Some(Cleanup::Database { admin_url, name }) })
    }

    pub async fn connect(&self) -> Db {
        let db = Db::connect(&self.url).await.expect("connect");
        dangvu_store::migrate::migrate(&db).await.expect("migrate");
        db
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        match self.cleanup.take() {
            Some(Cleanup::File(path)) => {
                for suffix in ["", "-wal", "-shm", ".identity-key"] {
                    let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
                }
            }
            Some(Cleanup::Database { admin_url, name }) => {
                // Drop runs outside async code; a thread of its own does the work.
                let _ = std::thread::spawn(move || {
                    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().ok()?;
                    rt.block_on(async {
                        let (client, conn) = tokio_postgres::connect(&admin_url, tokio_postgres::NoTls).await.ok()?;
                        tokio::spawn(conn);
                        client.batch_execute(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)")).await.ok()
                    })
                })
                .join();
            }
            None => {}
        }
    }
}

/// The application running on a loopback port, with the demo province loaded.
pub struct TestApp {
    pub base: String,
    pub db: Db,
    pub http: reqwest::Client,
    /// The server's configuration: its identity key reads the demo's petitions.
    pub config: dangvu_web::Config,
    /// Kept so that the database is removed when the test ends.
    test_db: TestDb,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
}

impl TestApp {
    pub async fn spawn(backend: Backend) -> TestApp {
        let test_db = match backend {
            Backend::Sqlite => TestDb::sqlite(),
            Backend::Postgres => TestDb::postgres().await.expect("PostgreSQL"),
        };
        Self::start(test_db).await
    }

    pub async fn spawn_pg() -> Option<TestApp> {
        Some(Self::start(TestDb::postgres().await?).await)
    }

    async fn start(test_db: TestDb) -> TestApp {
        demo_template::copy_into(&test_db).await;
        let db = Db::connect(&test_db.url).await.expect("connect");
        let config = dangvu_web::Config { identity_key: demo_template::identity_key(), ..Default::default() };
        let (base, stop) = serve_on(db.clone(), config.clone()).await;
        TestApp { base, db, http: client(), config, test_db, stop: Some(stop) }
    }

    /// Another server on this app's database, as a second machine behind a load balancer:
    /// its own connections and its own port, nothing shared with the first but the database.
    pub async fn second_instance(&self) -> SecondServer {
        let db = Db::connect(self.database_url()).await.expect("connect the second server");
        let (base, stop) = serve_on(db, self.config.clone()).await;
        SecondServer { base, http: client(), _stop: stop }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// Signs in through the API and answers the bearer token.
    pub async fn login(&self, username: &str) -> String {
        self.login_with(username, PASSWORD).await
    }

    pub async fn login_with(&self, username: &str, password: &str) -> String {
        let (status, body) = self
            .send(
                "POST",
                "/api/v1/session",
                None,
                Some(serde_json::json!({"username": username, "password": password})),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "sign in as {username}: {body}");
        body["token"].as_str().expect("token").to_owned()
    }

    pub async fn send(
        &self,
        method: &str,
        path: &str,
        token: Option<&str>,
        body: Option<Value>,
    ) -> (StatusCode, Value) {
        let method = reqwest::Method::from_bytes(method.as_bytes()).expect("method");
        let mut req = self.http.request(method, self.url(path));
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        if let Some(b) = body {
            req = req.json(&b);
        }
        let res = req.send().await.expect("request");
        let status = res.status();
        let text = res.text().await.expect("body");
        let value = serde_json::from_str(&text).unwrap_or(Value::String(text));
        (status, value)
    }

    pub async fn get(&self, token: &str, path: &str) -> (StatusCode, Value) {
        self.send("GET", path, Some(token), None).await
    }

    pub async fn post(&self, token: &str, path: &str, body: Value) -> (StatusCode, Value) {
        self.send("POST", path, Some(token), Some(body)).await
    }

    /// The id of the organisation with this code (as the admin sees it).
    /// The database the app runs on, for a second connection to it.
    pub fn database_url(&self) -> &str {
        &self.test_db.url
    }

    pub async fn org_id(&self, code: &str) -> i64 {
        let org = dangvu_store::orgs::get_by_code(&self.db, code, dangvu_domain::calendar::today())
            .await
            .expect("query")
            .unwrap_or_else(|| panic!("no org {code}"));
        org.id.0
    }

    /// The number of audit entries: a change that was refused must not add one.
    pub async fn audit_len(&self) -> i64 {
        let r = self.db.query_one("SELECT last_id FROM audit_head", &[]).await.expect("query").expect("head");
        r.int(0).expect("int")
    }
}

/// Serves the application on `db` on a free loopback port; answers its base URL and the
/// sender that stops it (when sent or dropped).
async fn serve_on(db: Db, config: dangvu_web::Config) -> (String, tokio::sync::oneshot::Sender<()>) {
    let listener = dangvu::server::bind("127.0.0.1:0").await.expect("bind");
    let base = format!("http://{}", listener.local_addr().expect("address"));
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    tokio::spawn(async move {
        let _ = dangvu::server::serve(listener, db, config, async {
            let _ = stopped.await;
        })
        .await;
    });
    (base, stop)
}

/// A client that shows redirects instead of following them.
fn client() -> reqwest::Client {
    reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().expect("client")
}

/// A second server on the database of a [`TestApp`] ([`TestApp::second_instance`]); stopped
/// when dropped.
pub struct SecondServer {
    pub base: String,
    http: reqwest::Client,
    /// Dropped with the server, it stops it.
    _stop: tokio::sync::oneshot::Sender<()>,
}

/// A server the page helpers talk to: the test's app or a second server on its database.
pub trait Server {
    fn url(&self, path: &str) -> String;
    fn http(&self) -> &reqwest::Client;
}

impl Server for TestApp {
    fn url(&self, path: &str) -> String {
        TestApp::url(self, path)
    }

    fn http(&self) -> &reqwest::Client {
        &self.http
    }
}

impl Server for SecondServer {
    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    fn http(&self) -> &reqwest::Client {
        &self.http
    }
}

impl Drop for TestApp {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }
}

/// Signs in through the form and answers the session cookie.
pub async fn sign_in(app: &impl Server, username: &str) -> String {
    let res = app
        .http()
        .post(app.url("/login"))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(format!("username={username}&password={PASSWORD}&next=%2Forgs"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(res.headers()["location"], "/orgs");
    let cookie = res.headers()["set-cookie"].to_str().unwrap().to_owned();
    assert!(cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"), "{cookie}");
    cookie.split(';').next().unwrap().to_owned()
}

pub async fn page(app: &impl Server, cookie: &str, path: &str) -> (StatusCode, String) {
    let res = app.http().get(app.url(path)).header("cookie", cookie).send().await.unwrap();
    (res.status(), res.text().await.unwrap())
}

/// A `multipart/form-data` body with text fields and one file, as a browser sends it.
pub fn multipart(fields: &[(&str, &str)], file: Option<(&str, &str, &[u8])>) -> (String, Vec<u8>) {
    let boundary = "----dangvu-test-boundary";
    let mut body = Vec::new();
    for (name, value) in fields {
        body.extend(
            format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n").bytes(),
        );
    }
    if let Some((field, file_name, data)) = file {
        body.extend(
            format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"{field}\"; filename=\"{file_name}\"\r\nContent-Type: application/octet-stream\r\n\r\n"
            )
            .bytes(),
        );
        body.extend_from_slice(data);
        body.extend(b"\r\n");
    }
    body.extend(format!("--{boundary}--\r\n").bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

pub fn csrf_of(html: &str) -> String {
    let at = html.find("name=\"csrf\" value=\"").expect("a form with a csrf token") + 19;
    html[at..].split('"').next().unwrap().to_owned()
}

/// Posts a form and answers the status, the `location` and the page.
pub async fn post_form(
    app: &impl Server,
    cookie: &str,
    path: &str,
    fields: &[(&str, &str)],
) -> (StatusCode, String, String) {
    let res = app
        .http()
        .post(app.url(path))
        .header("cookie", cookie)
        .header("content-type", "application/x-www-form-urlencoded")
        .body(serde_urlencoded::to_string(fields).unwrap())
        .send()
        .await
        .unwrap();
    let status = res.status();
    let location = res.headers().get("location").map(|l| l.to_str().unwrap().to_owned()).unwrap_or_default();
    (status, location, res.text().await.unwrap())
}

/// The demo province, built once per test binary and engine and copied for each test: building
/// it is most of a test's time (thousands of members, a year of meetings, dues, petitions …),
/// copying it a few milliseconds. The first test process to need it builds it under a lock
/// (a file lock for SQLite, an advisory lock for PostgreSQL); the others wait, then copy.
/// Its name carries the test binary's size and time, so a new build builds a new one.
pub mod demo_template {
    use dangvu_store::Db;

    use super::{Cleanup, TestDb, pg_admin_url};

    /// The identity key the template's petitions are sealed with, the same in every copy.
    pub fn identity_key() -> dangvu_store::petitions::IdentityKey {
        dangvu_store::petitions::IdentityKey::from_base64("ZGFuZ3Z1LXRlc3RzLWRlbW8taWRlbnRpdHkta2V5LTA=")
            .expect("a 32-byte key")
    }

    /// What identifies this build of the tests.
    fn build_id() -> String {
        let exe = std::env::current_exe().expect("the test binary");
        let meta = std::fs::metadata(&exe).expect("its metadata");
        let modified = meta
            .modified()
            .ok()
            .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
            .map(|d| d.as_nanos())
            .unwrap_or(0);
        format!("{:x}{:x}", meta.len(), modified % 0xffff_ffff_ffff)
    }

    async fn build(url: &str) {
        let db = Db::connect(url).await.expect("connect to the template");
        dangvu_store::migrate::migrate(&db).await.expect("migrate the template");
        dangvu::demo::build_demo(&db, &identity_key()).await.expect("demo province");
        drop(db);
    }

    /// Fills the new test database with a copy of the demo.
    pub async fn copy_into(test_db: &TestDb) {
        match &test_db.cleanup {
            Some(Cleanup::File(path)) => copy_sqlite(path).await,
            Some(Cleanup::Database { name, .. }) => copy_postgres(name).await,
            None => panic!("a test database to fill"),
        }
    }

    async fn copy_sqlite(to: &std::path::Path) {
        let dir = std::env::temp_dir();
        let template = dir.join(format!("dangvu-template-{}.sqlite", build_id()));
        let lock = std::fs::File::create(dir.join("dangvu-template.lock")).expect("the template's lock file");
        lock.lock().expect("lock the template");
        if !template.exists() {
            // Older builds' templates go: nothing copies them any more.
            for old in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
                let name = old.file_name().to_string_lossy().into_owned();
                if name.starts_with("dangvu-template-") && name.contains(".sqlite") {
                    let _ = std::fs::remove_file(old.path());
                }
            }
            let building = dir.join(format!("dangvu-template-{}-{}.sqlite", build_id(), std::process::id()));
            build(&format!("sqlite://{}", building.display())).await;
            // The pool's last connection closes on its own thread: wait until the log is folded in.
            let db = Db::connect(&format!("sqlite://{}", building.display())).await.expect("reopen");
            db.query("PRAGMA wal_checkpoint(TRUNCATE)", &[]).await.expect("checkpoint");
            drop(db);
            std::fs::rename(&building, &template).expect("publish the template");
            let _ = std::fs::remove_file(format!("{}-wal", building.display()));
            let _ = std::fs::remove_file(format!("{}-shm", building.display()));
        }
        lock.unlock().expect("unlock the template");
        std::fs::copy(&template, to).expect("copy the template");
    }

    async fn copy_postgres(name: &str) {
        let (client, conn) = tokio_postgres::connect(&pg_admin_url(), tokio_postgres::NoTls).await.expect("PostgreSQL");
        tokio::spawn(conn);
        let template = format!("dangvu_demo_{}", build_id());
        // One key for every build: two builds never make their templates at once.
        client.batch_execute("SELECT pg_advisory_lock(2026120701)").await.expect("lock the template");
        let exists = client
            .query_opt("SELECT 1 FROM pg_database WHERE datname = $1", &[&template])
            .await
            .expect("look for the template")
            .is_some();
        if !exists {
            // Older builds' templates go: nothing copies them any more.
            for row in client
                .query("SELECT datname FROM pg_database WHERE datname LIKE 'dangvu\\_demo\\_%'", &[])
                .await
                .expect("old templates")
            {
                let old: String = row.get(0);
                let _ = client.batch_execute(&format!("DROP DATABASE IF EXISTS {old} WITH (FORCE)")).await;
            }
            let building = format!("{template}_building");
            client.batch_execute(&format!("DROP DATABASE IF EXISTS {building} WITH (FORCE)")).await.expect("clear");
            client.batch_execute(&format!("CREATE DATABASE {building}")).await.expect("create the template");
            let url = match pg_admin_url().rsplit_once('/') {
                Some((base, _)) => format!("{base}/{building}"),
                None => panic!("DATABASE_URL must name a database"),
            };
            build(&url).await;
            // The pool's connections close on their own tasks: a template must have none left.
            for _ in 0..500 {
                let open = client
                    .query_one(
                        "SELECT COUNT(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = $1",
                        &[&building],
                    )
                    .await
                    .expect("close the template's connections");
                if open.get::<_, i64>(0) == 0 {
                    break;
                }
                tokio::time::sleep(std::time::Duration::from_millis(10)).await;
            }
            client.batch_execute(&format!("ALTER DATABASE {building} RENAME TO {template}")).await.expect("publish");
        }
        client.batch_execute("SELECT pg_advisory_unlock(2026120701)").await.expect("unlock the template");
        client.batch_execute(&format!("DROP DATABASE {name}")).await.expect("replace the empty database");
        client.batch_execute(&format!("CREATE DATABASE {name} TEMPLATE {template}")).await.expect("copy the template");
        client
            .batch_execute(&format!("ALTER DATABASE {name} SET synchronous_commit = off"))
            .await
            .expect("set the test database's commits");
    }
}
