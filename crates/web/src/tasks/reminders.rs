//! Reminders by e-mail: once a day, each account with an address gets the deadlines of
//! its subtree that are near or were missed yesterday, and the petitions it handles whose
//! deadline is near or past, through the office's SMTP relay.
//!
//! The relay's address and password are configuration (`--smtp-url`), never stored in
//! the database or written to the logs. Several servers may run: the day's message of
//! an account is claimed in the database before it is sent, so it goes out once.

use std::time::Duration;

use chrono::{NaiveDate, Timelike};
use dangvu_domain::petitions::Timing;
use dangvu_domain::{calendar, vi};
use dangvu_store::{Db, StoreError, accounts, petitions, settings, tasks};
use lettre::message::{Mailbox, header::ContentType};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

/// The relay and the sender of the reminders.
#[derive(Clone)]
pub struct Mailer {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
    /// Where the web interface is reached, for links in the message (`https://…`).
    public_url: Option<String>,
}

impl std::fmt::Debug for Mailer {
    // The transport holds the relay's credentials: they are not printed.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Mailer").field("from", &self.from.to_string()).finish_non_exhaustive()
    }
}

impl Mailer {
    /// `url` is `smtp://user:pass@host:587?tls=required` (STARTTLS), `smtps://…:465`
    /// (TLS) or `smtp://host:25` (a relay on the local network, no TLS).
    pub fn new(url: &str, from: &str, public_url: Option<String>) -> Result<Mailer, String> {
        let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
            .map_err(|e| format!("SMTP URL không hợp lệ: {e}"))?
            .timeout(Some(Duration::from_secs(30)))
            .build();
        let from = from.parse::<Mailbox>().map_err(|e| format!("địa chỉ gửi không hợp lệ: {e}"))?;
        Ok(Mailer { transport, from, public_url: public_url.map(|u| u.trim_end_matches('/').to_owned()) })
    }
}

/// Parses an address given by a person; the reason in Vietnamese.
pub fn check_address(raw: &str) -> Result<Option<String>, String> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Ok(None);
    }
    raw.parse::<lettre::Address>()
        .map(|a| Some(a.to_string()))
        .map_err(|_| format!("\"{raw}\" không phải địa chỉ e-mail"))
}

/// Sends today's reminders to every account that has not had them; answers how many
/// messages went out. Accounts with nothing near or missed get nothing.
pub async fn send_due(db: &Db, mailer: &Mailer, today: NaiveDate) -> Result<usize, StoreError> {
    let s = settings::get(db).await?;
    let days = s.reminder_days;
    let clock = petitions::Clockwork { rules: &s.petition_rules, calendar: &s.holidays, today };
    let root = dangvu_store::orgs::roots(db, today).await?.into_iter().next().map(|o| o.path);
    let mut sent = 0;
    for r in accounts::mail_recipients(db, today).await? {
        let Some(path) = r.path.clone().or_else(|| root.clone()) else { continue };
        let due = tasks::reminders(db, &path, today, days).await?;
        // The petitions the account handles whose deadline is near or past: their number and
        // deadline only, never their content or sender.
        let cases: Vec<petitions::Petition> = petitions::assigned(db, r.user_id, &clock)
            .await?
            .into_iter()
            .filter(|p| matches!(p.timing, Timing::Overdue | Timing::DueSoon))
            .collect();
        if due.due_soon.is_empty() && due.missed_today.is_empty() && cases.is_empty() {
            continue;
        }
        let mut tx = db.begin().await?;
        let claimed = accounts::claim_reminder_mail(&mut tx, r.user_id, today).await?;
        tx.commit().await?;
        if !claimed {
            continue;
        }
        let message = compose(mailer, &r, &due, &cases, today);
        let result = match message {
            Ok(m) => mailer.transport.send(m).await.map(|_| ()).map_err(|e| e.to_string()),
            Err(e) => Err(e),
        };
        match result {
            Ok(()) => sent += 1,
            Err(e) => {
                // The error names the relay, never its password (lettre keeps it out).
                tracing::warn!(user_id = r.user_id, error = %e, "reminder e-mail not sent");
                accounts::release_reminder_mail(db, r.user_id, today).await?;
            }
        }
    }
    Ok(sent)
}

fn compose(
    mailer: &Mailer,
    r: &accounts::MailRecipient,
    due: &tasks::Reminders,
    cases: &[petitions::Petition],
    today: NaiveDate,
) -> Result<Message, String> {
    let to = r.email.parse::<Mailbox>().map_err(|e| e.to_string())?;
    let mut body = format!("Kính gửi {},\n\n", r.username);
    let link = |id: i64| mailer.public_url.as_ref().map(|u| format!("\n   {u}/tasks/{id}")).unwrap_or_default();
    if !due.missed_today.is_empty() {
        body.push_str("Nhiệm vụ quá hạn từ hôm nay:\n");
        for t in &due.missed_today {
            let deadline = t.due_on.map(vi::date).unwrap_or_default();
            body.push_str(&format!("- {} (chủ trì: {}; hạn {deadline}){}\n", t.title, t.lead_name, link(t.id)));
        }
        body.push('\n');
    }
    if !due.due_soon.is_empty() {
        body.push_str(&format!("Nhiệm vụ đến hạn trong {} ngày tới:\n", due.days));
        for t in &due.due_soon {
            let deadline = t.due_on.map(vi::date).unwrap_or_default();
            body.push_str(&format!("- {} (chủ trì: {}; hạn {deadline}){}\n", t.title, t.lead_name, link(t.id)));
        }
        body.push('\n');
    }
    if !cases.is_empty() {
        body.push_str("Đơn thư bạn được giao xử lý sắp đến hạn hoặc quá hạn:\n");
        for p in cases {
            let deadline = match p.status {
                dangvu_domain::petitions::State::Received => Some(p.accept_due_on),
                _ => p.due_on,
            };
            let case_link =
                mailer.public_url.as_ref().map(|u| format!("\n   {u}/petitions/{}", p.id)).unwrap_or_default();
            body.push_str(&format!(
                "- {} số {} ({}; hạn {}){case_link}\n",
                p.kind_label,
                p.number,
                p.timing_label.to_lowercase(),
                deadline.map(vi::date).unwrap_or_default()
            ));
        }
        body.push('\n');
    }
    body.push_str("Thư này do dangvu gửi tự động mỗi ngày; không trả lời thư này.\n");
    let mut subject = format!(
        "[dangvu] Nhắc hạn nhiệm vụ ngày {}: {} quá hạn, {} sắp đến hạn",
        vi::date(today),
        due.missed_today.len(),
        due.due_soon.len()
    );
    if !cases.is_empty() {
        subject.push_str(&format!("; đơn thư: {}", cases.len()));
    }
    Message::builder()
        .from(mailer.from.clone())
        .to(to)
        .subject(subject)
        .header(ContentType::TEXT_PLAIN)
        .body(body)
        .map_err(|e| e.to_string())
}

/// Runs in the server: every 30 minutes after 07:00 (UTC+7), sends the day's reminders
/// not yet sent.
pub fn spawn(db: Db, mailer: Mailer) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(Duration::from_secs(30 * 60));
        loop {
            tick.tick().await;
            let local_hour = (chrono::Utc::now() + chrono::Duration::hours(7)).hour();
            if local_hour < 7 {
                continue;
            }
            match send_due(&db, &mailer, calendar::today()).await {
                Ok(0) => {}
                Ok(n) => tracing::info!(sent = n, "reminder e-mails sent"),
                Err(e) => tracing::warn!(error = %e, "reminder e-mails failed"),
            }
        }
    })
}
