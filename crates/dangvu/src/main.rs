//! `dangvu`: the server and its admin commands (CONTRACT.md, "Command line").
#![forbid(unsafe_code)]

use std::io::Read;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use dangvu::{demo, server};
use dangvu_store::accounts::{self, NewUser};
use dangvu_store::audit::Actor;
use dangvu_store::petitions::IdentityKey;
use dangvu_store::{Db, StoreError, migrate, orgs};

#[derive(Parser)]
#[command(
    name = "dangvu",
    version,
    about = "dangvu: the work of Party committees, from the meeting to the task to the report"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Create the demo province (if the file does not exist yet) and serve it.
    Demo {
        /// The SQLite file of the demo.
        #[arg(long, default_value = "dangvu-demo.sqlite")]
        db: PathBuf,
        #[arg(long, default_value = "127.0.0.1:8080")]
        bind: String,
    },
    /// Serve an existing database.
    Serve {
        /// `sqlite://FILE` or `postgres://…`.
        #[arg(long, env = "DANGVU_DATABASE_URL")]
        database_url: String,
        #[arg(long, env = "DANGVU_BIND", default_value = "127.0.0.1:8080")]
        bind: String,
        /// Mark the session cookie Secure (when served over HTTPS).
        #[arg(long, env = "DANGVU_SECURE_COOKIES")]
        secure_cookies: bool,
        /// Take client addresses from X-Forwarded-For (behind a trusted proxy only).
        #[arg(long, env = "DANGVU_TRUST_PROXY")]
        trust_proxy: bool,
        /// E-mail the daily reminders through this relay: `smtp://user:pass@host:587?tls=required`,
        /// `smtps://user:pass@host:465` or `smtp://host:25`. Without it, reminders stay in the app.
        #[arg(long, env = "DANGVU_SMTP_URL", hide_env_values = true)]
        smtp_url: Option<String>,
        /// The sender of the reminders, e.g. `Văn phòng Tỉnh ủy <vanphong@example.vn>`.
        #[arg(long, env = "DANGVU_SMTP_FROM", default_value = "dangvu <dangvu@localhost>")]
        smtp_from: String,
        /// Where users reach the web interface, for links in the e-mails (`https://dangvu.example.vn`).
        #[arg(long, env = "DANGVU_PUBLIC_URL")]
        public_url: Option<String>,
        /// The file holding the key that seals petitions' senders (32 bytes, base64), kept apart
        /// from the database and its backups. Created when missing. Default: `FILE.identity-key`
        /// beside a SQLite file, `dangvu-identity.key` in the working directory for PostgreSQL.
        /// `DANGVU_IDENTITY_KEY` gives the key itself instead.
        #[arg(long, env = "DANGVU_IDENTITY_KEY_FILE")]
        identity_key_file: Option<PathBuf>,
    },
    /// Create or upgrade the schema; safe to run twice.
    Migrate {
        #[arg(long, env = "DANGVU_DATABASE_URL")]
        database_url: String,
    },
    /// Accounts.
    User {
        #[command(subcommand)]
        command: UserCommand,
    },
    /// Members.
    Members {
        #[command(subcommand)]
        command: MembersCommand,
    },
    /// The audit log.
    Audit {
        #[command(subcommand)]
        command: AuditCommand,
    },
    /// Elections.
    Election {
        #[command(subcommand)]
        command: ElectionCommand,
    },
    /// Back up the database while the server runs, or check a backup.
    #[command(args_conflicts_with_subcommands = true)]
    Backup {
        #[command(subcommand)]
        command: Option<BackupCommand>,
        #[arg(long, env = "DANGVU_DATABASE_URL")]
        database_url: Option<String>,
        /// The backup file to write (never overwritten).
        file: Option<PathBuf>,
    },
    /// Print the OpenAPI document of the API.
    Openapi,
}

#[derive(Subcommand)]
enum BackupCommand {
    /// Check a backup: a SQLite copy page by page and its audit chain; a PostgreSQL dump read
    /// whole and, with `--restore-into` an empty database, restored there and its audit chain
    /// verified. Exit 0 when it holds.
    Verify {
        file: PathBuf,
        /// An empty PostgreSQL database to restore a dump into for the full check.
        #[arg(long)]
        restore_into: Option<String>,
    },
}

#[derive(Subcommand)]
enum ElectionCommand {
    /// Recount an exported per-ballot record offline (`GET /api/v1/elections/{id}/record`):
    /// validity, totals, base, threshold, result and both fingerprints. Exit 0 when everything
    /// the file states is what its ballots give; otherwise every difference is named.
    Verify {
        /// The record, as JSON.
        file: PathBuf,
    },
}

#[derive(Subcommand)]
enum UserCommand {
    /// Clear the sign-in locks of an account (every address): the way back in for an
    /// administrator locked out by someone's guesses.
    Unlock {
        #[arg(long, env = "DANGVU_DATABASE_URL")]
        database_url: String,
        #[arg(long)]
        username: String,
    },
    /// Create an account; the password is read from standard input.
    Add {
        #[arg(long, env = "DANGVU_DATABASE_URL")]
        database_url: String,
        #[arg(long)]
        username: String,
        /// admin, organizer, office, inspector, secretary, viewer or member.
        #[arg(long)]
        role: String,
        /// The code of the organisation at the top of the account's scope; the whole tree without it.
        #[arg(long)]
        org: Option<String>,
        /// Read the password from standard input (required: passwords never go on the command line).
        #[arg(long, required = true)]
        password_stdin: bool,
    },
}

#[derive(Subcommand)]
enum MembersCommand {
    /// Load members from a CSV file in one transaction (a province, or the whole country).
    /// The columns are those of the import in the browser, plus `cell`: the code of each
    /// row's cell. If any row is bad, nothing is written and every bad cell is listed.
    Import {
        #[arg(long, env = "DANGVU_DATABASE_URL")]
        database_url: String,
        /// The CSV file (UTF-8, "," or ";" separated, the first row naming the columns).
        file: PathBuf,
        /// The code of the cell every row joins, for a file without a `cell` column.
        #[arg(long)]
        cell: Option<String>,
    },
}

#[derive(Subcommand)]
enum AuditCommand {
    /// Exit 0 when the audit log is intact; otherwise name the first entry that does not verify.
    Verify {
        #[arg(long, env = "DANGVU_DATABASE_URL")]
        database_url: String,
        /// The hash printed at the foot of a document ("Nhật ký dangvu khi in: mục N, mã HASH"):
        /// the log must still hold that entry, so a log rewritten since, chain and all, fails.
        #[arg(long)]
        expect: Vec<String>,
    },
}

/// A failure and its exit code: 1 at run time, 2 for bad usage or bad input.
struct Failure(u8, String);

impl From<StoreError> for Failure {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::Invalid(fields) => {
                Failure(2, fields.iter().map(|f| format!("{}: {}", f.field, f.message)).collect::<Vec<_>>().join("\n"))
            }
            StoreError::Config(m) => Failure(2, m),
            other => Failure(1, other.to_string()),
        }
    }
}

impl From<std::io::Error> for Failure {
    fn from(e: std::io::Error) -> Self {
        Failure(1, e.to_string())
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    init_logging();
    let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(r) => r,
        Err(e) => {
            eprintln!("dangvu: {e}");
            return ExitCode::from(1);
        }
    };
    match runtime.block_on(run(cli.command)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(Failure(code, message)) => {
            eprintln!("dangvu: {message}");
            ExitCode::from(code)
        }
    }
}

fn init_logging() {
    use tracing_subscriber::EnvFilter;
    let filter = EnvFilter::try_from_env("DANGVU_LOG").unwrap_or_else(|_| EnvFilter::new("info"));
    let builder = tracing_subscriber::fmt().with_env_filter(filter).with_writer(std::io::stderr);
    if std::env::var("DANGVU_LOG_FORMAT").as_deref() == Ok("json") {
        builder.json().init();
    } else {
        builder.init();
    }
}

async fn run(command: Command) -> Result<(), Failure> {
    match command {
        Command::Demo { db, bind } => run_demo(db, bind).await,
        Command::Serve {
            database_url,
            bind,
            secure_cookies,
            trust_proxy,
            smtp_url,
            smtp_from,
            public_url,
            identity_key_file,
        } => {
            let identity_key = identity_key(&database_url, identity_key_file)?;
            let db = Db::connect(&database_url).await?;
            if !migrate::is_current(&db).await.unwrap_or(false) {
                return Err(Failure(1, "the database schema is missing or old: run `dangvu migrate` first".into()));
            }
            if let Some(url) = smtp_url {
                let mailer = dangvu_web::tasks::reminders::Mailer::new(&url, &smtp_from, public_url)
                    .map_err(|e| Failure(2, e))?;
                dangvu_web::tasks::reminders::spawn(db.clone(), mailer);
                eprintln!("dangvu: reminders are e-mailed from {smtp_from}");
            }
            let listener = server::bind(&bind).await?;
            eprintln!("dangvu: serving http://{}", listener.local_addr()?);
            let config = dangvu_web::Config { secure_cookies, trust_proxy, identity_key };
            server::serve(listener, db, config, server::shutdown_signal()).await?;
            Ok(())
        }
        Command::Migrate { database_url } => {
            let db = Db::connect(&database_url).await?;
            let applied = migrate::migrate(&db).await?;
            if applied.is_empty() {
                eprintln!("dangvu: the schema is up to date");
            } else {
                eprintln!("dangvu: applied migrations {applied:?}");
            }
            Ok(())
        }
        Command::User { command: UserCommand::Add { database_url, username, role, org, password_stdin: _ } } => {
            let mut password = String::new();
            std::io::stdin().read_to_string(&mut password)?;
            let password = password.trim_end_matches(['\r', '\n']).to_owned();
            let db = Db::connect(&database_url).await?;
            let org_id = match org {
                None => None,
                Some(code) => match orgs::get_by_code(&db, &code, dangvu_domain::calendar::today()).await? {
                    Some(o) => Some(o.id),
                    None => return Err(Failure(2, format!("no organisation with code {code}"))),
                },
            };
            let mut tx = db.begin().await?;
            let user = accounts::create_user(
                &mut tx,
                &Actor::command_line(),
                NewUser { username, password, role, org_id, member_id: None },
            )
            .await?;
            tx.commit().await?;
            eprintln!("dangvu: created account {} ({})", user.username, user.role.as_str());
            Ok(())
        }
        Command::User { command: UserCommand::Unlock { database_url, username } } => {
            let db = Db::connect(&database_url).await?;
            let cleared = accounts::unlock(&db, &username).await?;
            eprintln!("dangvu: {cleared} sign-in lock(s) of {username} cleared");
            Ok(())
        }
        Command::Members { command: MembersCommand::Import { database_url, file, cell } } => {
            let db = Db::connect(&database_url).await?;
            let started = std::time::Instant::now();
            let today = dangvu_domain::calendar::today();
            let loaded = dangvu_web::members::load::load_file(&db, &file, cell.as_deref(), today).await?;
            let secs = started.elapsed().as_secs_f64();
            eprintln!(
                "dangvu: imported {} members in {secs:.1} s ({:.0} rows/s)",
                loaded.members,
                loaded.members as f64 / secs.max(1e-9)
            );
            Ok(())
        }
        Command::Audit { command: AuditCommand::Verify { database_url, expect } } => {
            let db = Db::connect(&database_url).await?;
            match dangvu_store::audit::verify(&db).await? {
                Ok(n) => {
                    for hash in &expect {
                        match dangvu_store::audit::entry_with_hash(&db, hash.trim()).await? {
                            Some(entry) => eprintln!("dangvu: the log holds the printed head {hash} (entry {entry})"),
                            None => {
                                return Err(Failure(
                                    1,
                                    format!("the audit log does not hold the printed head {hash}: it was rewritten"),
                                ));
                            }
                        }
                    }
                    eprintln!("dangvu: the audit log is intact ({n} entries)");
                    Ok(())
                }
                Err(b) => Err(Failure(1, format!("the audit log does not verify: {b}"))),
            }
        }
        Command::Election { command: ElectionCommand::Verify { file } } => {
            let text = std::fs::read_to_string(&file)?;
            let record: dangvu_domain::elections::record::RecordFile =
                serde_json::from_str(&text).map_err(|e| Failure(2, format!("{}: {e}", file.display())))?;
            match record.verify() {
                Ok(stated) => {
                    println!("record fingerprint  {}", record.record_fingerprint);
                    println!(
                        "result fingerprint  {}",
                        record.result_fingerprint.as_deref().unwrap_or("(tie undecided)")
                    );
                    println!(
                        "ballots {} valid, {} invalid; base {}, threshold {}; elected {:?}",
                        stated.valid, stated.invalid, stated.base, stated.threshold, stated.elected
                    );
                    eprintln!("dangvu: the record recounts to what it states");
                    Ok(())
                }
                Err(problems) => Err(Failure(1, format!("the record does not verify:\n{}", problems.join("\n")))),
            }
        }
        Command::Backup { command: Some(BackupCommand::Verify { file, restore_into }), .. } => {
            let checked = dangvu_store::backup::check(&file, restore_into.as_deref()).await?;
            match checked.audit_entries {
                Some(n) => eprintln!(
                    "dangvu: {} is a sound {} backup (schema {}, audit log intact: {n} entries)",
                    file.display(),
                    checked.engine,
                    checked.schema_version
                ),
                None => eprintln!(
                    "dangvu: {} reads whole as a pg_dump archive; give --restore-into an empty database to verify its audit log",
                    file.display()
                ),
            }
            Ok(())
        }
        Command::Backup { command: None, database_url, file } => {
            let (Some(url), Some(file)) = (database_url, file) else {
                return Err(Failure(
                    2,
                    "usage: dangvu backup --database-url URL FILE | dangvu backup verify FILE".into(),
                ));
            };
            let started = std::time::Instant::now();
            let bytes = dangvu_store::backup::take(&url, &file).await?;
            eprintln!(
                "dangvu: backed up to {} ({:.1} MB in {:.1} s); check it with `dangvu backup verify {}`",
                file.display(),
                bytes as f64 / 1e6,
                started.elapsed().as_secs_f64(),
                file.display()
            );
            Ok(())
        }
        Command::Openapi => {
            let doc = dangvu_web::api::openapi().to_pretty_json().map_err(|e| Failure(1, e.to_string()))?;
            println!("{doc}");
            Ok(())
        }
    }
}

/// The key that seals petitions' senders: `DANGVU_IDENTITY_KEY`, else the key file (given, or
/// the default for the database), created with a new key when missing.
fn identity_key(database_url: &str, file: Option<PathBuf>) -> Result<IdentityKey, Failure> {
    if let Ok(text) = std::env::var("DANGVU_IDENTITY_KEY") {
        return IdentityKey::from_base64(&text).map_err(|e| Failure(2, format!("DANGVU_IDENTITY_KEY: {e}")));
    }
    let file = file.unwrap_or_else(|| match database_url.strip_prefix("sqlite://") {
        Some(path) => PathBuf::from(format!("{path}.identity-key")),
        None => PathBuf::from("dangvu-identity.key"),
    });
    match std::fs::read_to_string(&file) {
        Ok(text) => IdentityKey::from_base64(&text).map_err(|e| Failure(2, format!("{}: {e}", file.display()))),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            let key = IdentityKey::generate();
            write_secret(&file, &key.to_base64())?;
            eprintln!(
                "dangvu: created the identity key {} (keep it apart from the database and back it up: without it \
                 the senders of petitions cannot be read)",
                file.display()
            );
            Ok(key)
        }
        Err(e) => Err(Failure(1, format!("{}: {e}", file.display()))),
    }
}

/// Writes a file only its owner reads.
fn write_secret(file: &std::path::Path, text: &str) -> Result<(), Failure> {
    use std::io::Write;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut f = options.open(file).map_err(|e| Failure(1, format!("{}: {e}", file.display())))?;
    writeln!(f, "{text}").map_err(|e| Failure(1, format!("{}: {e}", file.display())))
}

async fn run_demo(file: PathBuf, bind: String) -> Result<(), Failure> {
    let fresh = !file.exists();
    let url = format!("sqlite://{}", file.display());
    let identity_key = identity_key(&url, None)?;
    let db = Db::connect(&url).await?;
    migrate::migrate(&db).await?;
    let today = dangvu_domain::calendar::today();
    if fresh || orgs::get_by_code(&db, demo::PROVINCE_CODE, today).await?.is_none() {
        eprintln!("dangvu: creating the demo province in {}", file.display());
        demo::build_demo(&db, &identity_key).await?;
    }
    let listener = server::bind(&bind).await?;
    let addr = listener.local_addr()?;
    println!("dangvu demo: http://{addr}");
    println!("Demo accounts (password {}):", demo::DEMO_PASSWORD);
    for user in accounts::users_in(&db, &accounts::Scope::Tree, today, 0, 50).await? {
        let scope = match user.org_id {
            Some(id) => orgs::get(&db, id, today).await?.map(|o| o.name).unwrap_or_default(),
            None => "toàn bộ cây tổ chức".to_owned(),
        };
        println!("  {:<10} {:<22} {scope}", user.username, user.role.label());
    }
    let config = dangvu_web::Config { identity_key, ..dangvu_web::Config::default() };
    server::serve(listener, db, config, server::shutdown_signal()).await?;
    Ok(())
}
