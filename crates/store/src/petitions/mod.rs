//! The petitions' register: each letter with its clock, its steps, its handlers, and its
//! sender sealed apart ([`identity`]). The rules are `dangvu_domain::petitions`; the use cases
//! of the web layer decide who may read and do what, this module keeps the records and writes
//! each change with its audit entry in one transaction. The audit log never holds a sender, nor
//! the content of a letter: only its number, kind, channel and state.

pub mod figures;
pub mod identity;

pub use figures::{Figures, figures};
pub use identity::{IdentityKey, Sender};

use chrono::NaiveDate;
use dangvu_domain::audit::Action;
use dangvu_domain::ids::{MemberId, OrgId};
use dangvu_domain::members::HolidayCalendar;
use dangvu_domain::orgs::tree::subtree_end;
use dangvu_domain::petitions::clock::{ClockFacts, TimeLimit};
use dangvu_domain::petitions::{
    Channel, Clock, Concerns, Event, Fingerprint, Kind, NotHandledReason, Outcome, PetitionRules, State, Timing,
    similarity,
};
use dangvu_domain::text::clean;
use serde::Serialize;
use serde_json::json;
use utoipa::ToSchema;

use crate::audit::{self, Actor, Change, Subject};
use crate::db::columns;
use crate::{Db, Row, StoreError, Tx, Value, params};

/// What the dates of a case are read against: the rules in force, the holidays, today.
pub struct Clockwork<'a> {
    pub rules: &'a PetitionRules,
    pub calendar: &'a HolidayCalendar,
    pub today: NaiveDate,
}

/// A petition as the register shows it: never its sender (see [`sender`]).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Petition {
    pub id: i64,
    /// The unit whose register holds it.
    #[schema(value_type = i64)]
    pub org_id: OrgId,
    pub org_name: String,
    /// The registration number in that register.
    pub number: String,
    /// The day the letter was received (by post: its postmark): day zero of its clock.
    pub received_on: NaiveDate,
    #[schema(value_type = String, example = "post")]
    pub channel: Channel,
    #[schema(value_type = String, example = "denunciation")]
    pub kind: Kind,
    pub kind_label: &'static str,
    /// The content, with the sender's own name, address and phone taken out.
    pub summary: String,
    /// `member`, `org` or `state`.
    #[schema(value_type = String, example = "member")]
    pub concerns: Concerns,
    #[schema(value_type = Option<i64>)]
    pub concerns_member_id: Option<MemberId>,
    #[schema(value_type = Option<i64>)]
    pub concerns_org_id: Option<OrgId>,
    /// Whom or what it concerns, in words (the member's or organisation's name, or the State
    /// matter).
    pub concerns_text: String,
    /// The organisation whose committee, standing board or inspection committee is competent.
    #[schema(value_type = Option<i64>)]
    pub competent_org_id: Option<OrgId>,
    pub congress_id: Option<i64>,
    pub reception_id: Option<i64>,
    #[schema(value_type = String, example = "accepted")]
    pub status: State,
    pub status_label: &'static str,
    /// Whether it is handled (not kept with a reason).
    pub handled: bool,
    #[schema(value_type = Option<String>, example = "anonymous")]
    pub not_handled_reason: Option<NotHandledReason>,
    /// The earlier case this letter repeats.
    pub repeat_of: Option<i64>,
    /// A letter that also denounced: the sender was told to send the denunciation separately
    /// (HD 02-HD/TW).
    pub guided_to_denounce: bool,
    /// The time limit that applied when it was registered.
    pub rule: TimeLimit,
    pub accepted_on: Option<NaiveDate>,
    pub extensions: u32,
    pub accept_due_on: NaiveDate,
    /// The resolution deadline, when known.
    pub due_on: Option<NaiveDate>,
    pub closed_on: Option<NaiveDate>,
    #[schema(value_type = Option<String>, example = "partly_founded")]
    pub outcome: Option<Outcome>,
    pub outcome_note: Option<String>,
    /// Where it was sent on, with the transfer letter's reference.
    pub forwarded_to: Option<String>,
    /// `false` for an anonymous letter.
    pub has_sender: bool,
    /// Against its clock today: `on_time`, `due_soon`, `overdue`, `stopped`, `done_on_time`,
    /// `done_late`.
    #[schema(value_type = String, example = "on_time")]
    pub timing: Timing,
    pub timing_label: &'static str,
}

columns! {
    mod col {
        id: "p.id",
        org_id: "p.org_id",
        org_name: "(SELECT name FROM org_versions v WHERE v.org_id = p.org_id ORDER BY v.valid_from DESC LIMIT 1)",
        number: "p.number",
        received_on: "p.received_on",
        channel: "p.channel",
        kind: "p.kind",
        summary: "p.summary",
        concerns: "p.concerns",
        concerns_member_id: "p.concerns_member_id",
        concerns_org_id: "p.concerns_org_id",
        concerns_text: "p.concerns_text",
        competent_org_id: "p.competent_org_id",
        congress_id: "p.congress_id",
        reception_id: "p.reception_id",
        state: "p.state",
        not_handled_reason: "p.not_handled_reason",
        repeat_of: "p.repeat_of",
        guided_to_denounce: "p.guided_to_denounce",
        rule: "p.rule",
        accepted_on: "p.accepted_on",
        extensions: "p.extensions",
        accept_due_on: "p.accept_due_on",
        due_on: "p.due_on",
        closed_on: "p.closed_on",
        outcome: "p.outcome",
        outcome_note: "p.outcome_note",
        forwarded_to: "p.forwarded_to",
        has_sender: "p.has_sender",
    }
}

fn petition_row(r: &Row, clock: &Clockwork) -> Result<Petition, StoreError> {
    let kind = r.word(col::kind, Kind::parse)?;
    let status = r.word(col::state, State::parse)?;
    let rule: TimeLimit = serde_json::from_str(&r.text(col::rule)?).map_err(|e| StoreError::Decode(e.to_string()))?;
    let dates = Clock { accept_due_on: r.date(col::accept_due_on)?, due_on: r.opt_date(col::due_on)? };
    let closed_on = r.opt_date(col::closed_on)?;
    let timing = Timing::of(status, &dates, closed_on, clock.today, clock.rules.due_soon_days, clock.calendar);
    Ok(Petition {
        id: r.int(col::id)?,
        org_id: r.id(col::org_id)?,
        org_name: r.opt_text(col::org_name)?.unwrap_or_default(),
        number: r.text(col::number)?,
        received_on: r.date(col::received_on)?,
        channel: r.word(col::channel, Channel::parse)?,
        kind,
        kind_label: kind.label(),
        summary: r.text(col::summary)?,
        concerns: r.word(col::concerns, Concerns::parse)?,
        concerns_member_id: r.opt_id(col::concerns_member_id)?,
        concerns_org_id: r.opt_id(col::concerns_org_id)?,
        concerns_text: r.text(col::concerns_text)?,
        competent_org_id: r.opt_id(col::competent_org_id)?,
        congress_id: r.opt_int(col::congress_id)?,
        reception_id: r.opt_int(col::reception_id)?,
        status,
        status_label: status.label(),
        handled: status != State::NotHandled,
        not_handled_reason: r.opt_word(col::not_handled_reason, NotHandledReason::parse)?,
        repeat_of: r.opt_int(col::repeat_of)?,
        guided_to_denounce: r.bool(col::guided_to_denounce)?,
        rule,
        accepted_on: r.opt_date(col::accepted_on)?,
        extensions: u32::try_from(r.int(col::extensions)?).unwrap_or(0),
        accept_due_on: dates.accept_due_on,
        due_on: dates.due_on,
        closed_on,
        outcome: r.opt_word(col::outcome, Outcome::parse)?,
        outcome_note: r.opt_text(col::outcome_note)?,
        forwarded_to: r.opt_text(col::forwarded_to)?,
        has_sender: r.bool(col::has_sender)?,
        timing,
        timing_label: timing.label(),
    })
}

/// A letter as registered, once the use case has classified, routed and timed it.
#[derive(Debug, Clone)]
pub struct Intake {
    pub org_id: OrgId,
    /// The registration number; `None` gives the next of the register's year (`12/2027`).
    pub number: Option<String>,
    pub received_on: NaiveDate,
    pub channel: Channel,
    pub kind: Kind,
    /// The content as stored (the sender's name, address and phone already taken out of a
    /// denunciation's).
    pub summary: String,
    pub concerns: Concerns,
    pub concerns_member_id: Option<MemberId>,
    pub concerns_org_id: Option<OrgId>,
    pub concerns_text: String,
    pub competent_org_id: Option<OrgId>,
    pub congress_id: Option<i64>,
    pub reception_id: Option<i64>,
    pub state: State,
    pub not_handled_reason: Option<NotHandledReason>,
    pub repeat_of: Option<i64>,
    pub guided_to_denounce: bool,
    pub rule: TimeLimit,
    pub clock: Clock,
    pub sender: Option<Sender>,
}

/// Writes a new case: its record, its sender sealed with `key`, its first step, its audit
/// entry (which names neither the sender nor the content).
pub async fn register(tx: &mut Tx, actor: &Actor, key: &IdentityKey, intake: &Intake) -> Result<i64, StoreError> {
    let number = match &intake.number {
        Some(n) => {
            let n = clean(n);
            if n.is_empty() || n.chars().count() > 50 {
                return Err(StoreError::invalid("number", "Số vào sổ từ 1 đến 50 ký tự"));
            }
            n
        }
        None => next_number(tx, intake.org_id, intake.received_on).await?,
    };
    let rule = serde_json::to_string(&intake.rule).map_err(|e| StoreError::Decode(e.to_string()))?;
    let closed_on = intake.state.is_closed().then_some(intake.received_on);
    let row = tx
        .query_one(
            "INSERT INTO petitions (org_id, number, received_on, channel, kind, summary, words, concerns,
                 concerns_member_id, concerns_org_id, concerns_text, competent_org_id, congress_id, reception_id,
                 state, not_handled_reason, repeat_of, guided_to_denounce, rule, accept_due_on, due_on, closed_on,
                 has_sender, created_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21,
                 $22, $23, $24)
             RETURNING id",
            params![
                intake.org_id,
                number.as_str(),
                intake.received_on,
                intake.channel.as_str(),
                intake.kind.as_str(),
                intake.summary.as_str(),
                Fingerprint::of(&intake.summary).to_stored(),
                intake.concerns.as_str(),
                intake.concerns_member_id,
                intake.concerns_org_id,
                intake.concerns_text.as_str(),
                intake.competent_org_id,
                intake.congress_id,
                intake.reception_id,
                intake.state.as_str(),
                intake.not_handled_reason.map(NotHandledReason::as_str),
                intake.repeat_of,
                intake.guided_to_denounce,
                rule,
                intake.clock.accept_due_on,
                intake.clock.due_on,
                closed_on,
                intake.sender.is_some(),
                crate::now_micros()
            ],
        )
        .await
        .map_err(|e| match e {
            StoreError::Unique(_) => StoreError::invalid("number", "Số vào sổ này đã có trong sổ của đơn vị"),
            e => e,
        })?
        .ok_or(StoreError::NotFound)?;
    let id = row.int(0)?;
    if let Some(sender) = &intake.sender {
        let sealed = identity::seal(key, id, sender)?;
        tx.execute("UPDATE petitions SET sender_sealed = $2 WHERE id = $1", params![id, sealed]).await?;
    }
    let note = match intake.not_handled_reason {
        Some(r) => r.label().to_owned(),
        None if intake.state == State::Held => "Tố cáo liên quan đại hội nhận trong thời gian trước đại hội".to_owned(),
        None => String::new(),
    };
    record_step(tx, actor, id, "register", intake.received_on, &note, None).await?;
    audit::append(
        tx,
        actor,
        Change {
            action: Action::PetitionRegister,
            subject: Subject::petition(id),
            before: None,
            after: Some(json!({
                "org_id": intake.org_id,
                "number": number,
                "kind": intake.kind.as_str(),
                "channel": intake.channel.as_str(),
                "state": intake.state.as_str(),
                "anonymous": intake.sender.is_none(),
            })),
        },
    )
    .await?;
    Ok(id)
}

/// The next number of a register for the year of `on`: `N/YYYY`.
async fn next_number(tx: &mut Tx, org_id: OrgId, on: NaiveDate) -> Result<String, StoreError> {
    use chrono::Datelike;
    let year = on.year();
    let (from, to) =
        (NaiveDate::from_ymd_opt(year, 1, 1).unwrap_or(on), NaiveDate::from_ymd_opt(year, 12, 31).unwrap_or(on));
    let n = tx
        .query_one(
            "SELECT COUNT(*) FROM petitions WHERE org_id = $1 AND received_on >= $2 AND received_on <= $3",
            params![org_id, from, to],
        )
        .await?
        .map(|r| r.int(0))
        .transpose()?
        .unwrap_or(0);
    // A number typed by hand may already hold the next count: take the first one free.
    let mut next = n + 1;
    loop {
        let number = format!("{next}/{year}");
        let taken = tx
            .query_one("SELECT 1 FROM petitions WHERE org_id = $1 AND number = $2", params![org_id, number.as_str()])
            .await?
            .is_some();
        if !taken {
            return Ok(number);
        }
        next += 1;
    }
}

async fn record_step(
    tx: &mut Tx,
    actor: &Actor,
    id: i64,
    event: &str,
    on: NaiveDate,
    note: &str,
    decision: Option<&str>,
) -> Result<(), StoreError> {
    tx.execute(
        "INSERT INTO petition_events (petition_id, event, on_date, note, decision, actor_name, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
        params![id, event, on, note, decision, actor.name.as_str(), crate::now_micros()],
    )
    .await?;
    Ok(())
}

pub async fn petition(db: &Db, id: i64, clock: &Clockwork<'_>) -> Result<Option<Petition>, StoreError> {
    let sql = format!("SELECT {} FROM petitions p WHERE p.id = $1", col::SQL);
    db.query_one(&sql, params![id]).await?.map(|r| petition_row(&r, clock)).transpose()
}

/// The same, inside a transaction (a step reads the case it changes).
async fn petition_tx(tx: &mut Tx, id: i64, clock: &Clockwork<'_>) -> Result<Petition, StoreError> {
    let sql = format!("SELECT {} FROM petitions p WHERE p.id = $1", col::SQL);
    let row = tx.query_one(&sql, params![id]).await?.ok_or(StoreError::NotFound)?;
    petition_row(&row, clock)
}

/// The register's filter: the subtree of `path`, and optionally a state, a kind, a timing.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    pub path: String,
    pub state: Option<State>,
    pub kind: Option<Kind>,
    /// Only the cases overdue today.
    pub overdue: bool,
}

/// The register of a subtree, newest first, `limit` cases after the id `before` (0: from the
/// newest).
pub async fn list(
    db: &Db,
    filter: &Filter,
    clock: &Clockwork<'_>,
    limit: i64,
    before: i64,
) -> Result<Vec<Petition>, StoreError> {
    let mut sql = format!(
        "SELECT {} FROM petitions p WHERE p.org_id IN (SELECT org_id FROM org_versions
             WHERE valid_from <= $1 AND (valid_to IS NULL OR valid_to > $1) AND path >= $2 AND path < $3)
           AND ($4 = 0 OR p.id < $4)",
        col::SQL
    );
    let mut args: Vec<Value> =
        vec![clock.today.into(), filter.path.as_str().into(), subtree_end(&filter.path).into(), before.into()];
    if let Some(s) = filter.state {
        args.push(s.as_str().into());
        sql.push_str(&format!(" AND p.state = ${}", args.len()));
    }
    if let Some(k) = filter.kind {
        args.push(k.as_str().into());
        sql.push_str(&format!(" AND p.kind = ${}", args.len()));
    }
    if filter.overdue {
        args.push(clock.today.into());
        let t = args.len();
        sql.push_str(&format!(
            " AND ((p.state = 'received' AND p.accept_due_on < ${t}) OR (p.state = 'accepted' AND p.due_on < ${t}))"
        ));
    }
    args.push(limit.into());
    sql.push_str(&format!(" ORDER BY p.id DESC LIMIT ${}", args.len()));
    db.query(&sql, &args).await?.iter().map(|r| petition_row(r, clock)).collect()
}

/// The sender of a case, opened with the server's key; `None` for an anonymous letter. The use
/// case checks who may read it and logs the read ([`log_sender_read`]).
pub async fn sender(db: &Db, key: &IdentityKey, id: i64) -> Result<Option<Sender>, StoreError> {
    let row = db.query_one("SELECT sender_sealed FROM petitions WHERE id = $1", params![id]).await?;
    let sealed = row.ok_or(StoreError::NotFound)?.opt_text(0)?;
    sealed.map(|s| identity::open(key, id, &s)).transpose()
}

/// Records that an account read a case's sender: who and which case, never the identity.
pub async fn log_sender_read(tx: &mut Tx, actor: &Actor, id: i64) -> Result<(), StoreError> {
    log_read(tx, actor, id, "sender").await
}

/// Records that an account read a case's sender or scanned letter (`what`).
pub async fn log_read(tx: &mut Tx, actor: &Actor, id: i64, what: &str) -> Result<(), StoreError> {
    audit::append(
        tx,
        actor,
        Change {
            action: Action::PetitionSenderRead,
            subject: Subject::petition(id),
            before: None,
            after: Some(json!({ "read": what })),
        },
    )
    .await?;
    Ok(())
}

/// A step taken on a case, as the use case gives it.
#[derive(Debug, Clone)]
pub struct Step {
    pub event: Event,
    pub on: NaiveDate,
    pub note: String,
    /// The decision an extension, a forwarding or a conclusion is taken by.
    pub decision: Option<String>,
    pub outcome: Option<Outcome>,
    pub reason: Option<NotHandledReason>,
    pub forwarded_to: Option<String>,
}

/// Applies a step: the state machine decides whether it may happen, the clock is computed
/// again from the case's own rule, the step and its audit entry are written.
pub async fn take_step(
    tx: &mut Tx,
    actor: &Actor,
    id: i64,
    step: &Step,
    clock: &Clockwork<'_>,
) -> Result<Petition, StoreError> {
    let case = petition_tx(tx, id, clock).await?;
    let next = case.status.after(step.event).map_err(|why| StoreError::invalid("status", why))?;
    let note = clean(&step.note);
    if note.chars().count() > 5000 {
        return Err(StoreError::invalid("note", "Ghi chú tối đa 5.000 ký tự"));
    }
    let decision = step.decision.as_deref().map(clean).filter(|d| !d.is_empty());
    if decision.as_ref().is_some_and(|d| d.chars().count() > 200) {
        return Err(StoreError::invalid("decision", "Số, ngày văn bản tối đa 200 ký tự"));
    }
    if step.on < case.received_on {
        return Err(StoreError::invalid("on", "Ngày thực hiện không thể trước ngày nhận đơn"));
    }
    if step.on > clock.today {
        return Err(StoreError::invalid("on", "Ngày thực hiện không thể sau hôm nay"));
    }
    let mut accepted_on = case.accepted_on;
    let mut extensions = case.extensions;
    let mut closed_on = None;
    match step.event {
        Event::Accept => accepted_on = Some(step.on),
        Event::Extend => {
            if extensions >= case.rule.max_extensions {
                return Err(StoreError::invalid(
                    "reason",
                    format!("Quy định chỉ cho gia hạn {} lần với loại đơn này", case.rule.max_extensions),
                ));
            }
            if note.is_empty() {
                return Err(StoreError::invalid("reason", "Ghi lý do gia hạn"));
            }
            extensions += 1;
        }
        Event::Pause => {
            tx.execute("INSERT INTO petition_pauses (petition_id, from_on) VALUES ($1, $2)", params![id, step.on])
                .await?;
        }
        Event::Resume => {
            let paused = tx
                .query_one(
                    "SELECT from_on FROM petition_pauses WHERE petition_id = $1 AND until_on IS NULL",
                    params![id],
                )
                .await?;
            if let Some(from) = paused.map(|r| r.date(0)).transpose()?
                && step.on < from
            {
                return Err(StoreError::invalid("on", "Ngày tiếp tục không thể trước ngày tạm dừng"));
            }
            tx.execute(
                "UPDATE petition_pauses SET until_on = $2 WHERE petition_id = $1 AND until_on IS NULL",
                params![id, step.on],
            )
            .await?;
        }
        Event::Resolve => {
            let outcome = step.outcome.ok_or_else(|| StoreError::invalid("outcome", "Ghi kết luận"))?;
            if !outcome.fits(case.kind) {
                return Err(StoreError::invalid("outcome", "Kết luận này không dùng cho loại đơn này"));
            }
            closed_on = Some(step.on);
        }
        Event::Keep => {
            if step.reason.is_none() {
                return Err(StoreError::invalid("reason", "Chọn lý do lưu đơn không xử lý"));
            }
            closed_on = Some(step.on);
        }
        Event::Forward => {
            let to = step.forwarded_to.as_deref().map(clean).unwrap_or_default();
            if to.is_empty() || to.chars().count() > 300 {
                return Err(StoreError::invalid("forwarded_to", "Ghi nơi chuyển đơn đến (1–300 ký tự)"));
            }
            closed_on = Some(step.on);
        }
        Event::Withdraw => closed_on = Some(step.on),
        Event::Verify => {
            if note.is_empty() {
                return Err(StoreError::invalid("note", "Ghi nội dung bước xác minh"));
            }
        }
        Event::Hold | Event::Release => {}
    }
    let pauses = tx
        .query("SELECT from_on, until_on FROM petition_pauses WHERE petition_id = $1 ORDER BY id", params![id])
        .await?
        .iter()
        .map(|r| Ok((r.date(0)?, r.opt_date(1)?)))
        .collect::<Result<Vec<_>, StoreError>>()?;
    let facts = ClockFacts { received_on: case.received_on, accepted_on, extensions, pauses };
    let dates = Clock::of(&case.rule, &facts, clock.calendar);
    tx.execute(
        "UPDATE petitions SET state = $2, accepted_on = $3, extensions = $4, accept_due_on = $5, due_on = $6,
             closed_on = COALESCE($7, closed_on), outcome = COALESCE($8, outcome),
             outcome_note = CASE WHEN $8 IS NULL THEN outcome_note ELSE $9 END,
             not_handled_reason = COALESCE($10, not_handled_reason), forwarded_to = COALESCE($11, forwarded_to)
         WHERE id = $1",
        params![
            id,
            next.as_str(),
            accepted_on,
            i64::from(extensions),
            dates.accept_due_on,
            dates.due_on,
            closed_on,
            step.outcome.filter(|_| step.event == Event::Resolve).map(Outcome::as_str),
            note.as_str(),
            step.reason.filter(|_| step.event == Event::Keep).map(NotHandledReason::as_str),
            step.forwarded_to.as_deref().filter(|_| step.event == Event::Forward).map(clean)
        ],
    )
    .await?;
    record_step(tx, actor, id, step.event.as_str(), step.on, &note, decision.as_deref()).await?;
    audit::append(
        tx,
        actor,
        Change {
            action: Action::PetitionStep,
            subject: Subject::petition(id),
            before: Some(json!({ "state": case.status.as_str(), "due_on": case.due_on })),
            after: Some(json!({
                "event": step.event.as_str(),
                "on": step.on,
                "state": next.as_str(),
                "due_on": dates.due_on,
                "decision": decision,
            })),
        },
    )
    .await?;
    petition_tx(tx, id, clock).await
}

/// One step of a case's history.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct StepRecord {
    pub event: String,
    pub on: NaiveDate,
    pub note: String,
    pub decision: Option<String>,
    pub actor_name: String,
}

pub async fn history(db: &Db, id: i64) -> Result<Vec<StepRecord>, StoreError> {
    db.query(
        "SELECT event, on_date, note, decision, actor_name FROM petition_events WHERE petition_id = $1 ORDER BY id",
        params![id],
    )
    .await?
    .iter()
    .map(|r| {
        Ok(StepRecord {
            event: r.text(0)?,
            on: r.date(1)?,
            note: r.text(2)?,
            decision: r.opt_text(3)?,
            actor_name: r.text(4)?,
        })
    })
    .collect()
}

/// An account handling a case.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Handler {
    pub user_id: i64,
    pub username: String,
    pub assigned_on: NaiveDate,
}

pub async fn handlers(db: &Db, id: i64) -> Result<Vec<Handler>, StoreError> {
    db.query(
        "SELECT h.user_id, u.username, h.assigned_on FROM petition_handlers h JOIN users u ON u.id = h.user_id
         WHERE h.petition_id = $1 ORDER BY h.assigned_on, u.username",
        params![id],
    )
    .await?
    .iter()
    .map(|r| Ok(Handler { user_id: r.int(0)?, username: r.text(1)?, assigned_on: r.date(2)? }))
    .collect()
}

pub async fn add_handler(tx: &mut Tx, actor: &Actor, id: i64, user_id: i64, on: NaiveDate) -> Result<(), StoreError> {
    let exists = tx
        .query_one("SELECT 1 FROM petition_handlers WHERE petition_id = $1 AND user_id = $2", params![id, user_id])
        .await?
        .is_some();
    if exists {
        return Ok(());
    }
    tx.execute(
        "INSERT INTO petition_handlers (petition_id, user_id, assigned_on) VALUES ($1, $2, $3)",
        params![id, user_id, on],
    )
    .await?;
    audit::append(
        tx,
        actor,
        Change {
            action: Action::PetitionHandler,
            subject: Subject::petition(id),
            before: None,
            after: Some(json!({ "handler_user_id": user_id })),
        },
    )
    .await?;
    Ok(())
}

/// Whether an account reads a case's sender: one of its handlers, or named by a disclosure.
pub async fn reads_sender(db: &Db, id: i64, user_id: i64) -> Result<bool, StoreError> {
    Ok(db
        .query_one(
            "SELECT 1 FROM petition_handlers WHERE petition_id = $1 AND user_id = $2
             UNION ALL SELECT 1 FROM petition_disclosures WHERE petition_id = $1 AND user_id = $2",
            params![id, user_id],
        )
        .await?
        .is_some())
}

/// A decision of the head of the inspection committee showing a denouncer to an account that
/// does not handle the case: who decided, for whom, why, when.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Disclosure {
    pub user_id: i64,
    pub username: String,
    pub reason: String,
    pub decided_by: String,
    /// RFC 3339.
    pub decided_at: String,
}

pub async fn disclosures(db: &Db, id: i64) -> Result<Vec<Disclosure>, StoreError> {
    db.query(
        "SELECT d.user_id, u.username, d.reason, b.username, d.decided_at FROM petition_disclosures d
         JOIN users u ON u.id = d.user_id JOIN users b ON b.id = d.decided_by
         WHERE d.petition_id = $1 ORDER BY d.id",
        params![id],
    )
    .await?
    .iter()
    .map(|r| {
        Ok(Disclosure {
            user_id: r.int(0)?,
            username: r.text(1)?,
            reason: r.text(2)?,
            decided_by: r.text(3)?,
            decided_at: crate::from_micros(r.int(4)?).to_rfc3339(),
        })
    })
    .collect()
}

pub async fn disclose(tx: &mut Tx, actor: &Actor, id: i64, user_id: i64, reason: &str) -> Result<(), StoreError> {
    let reason = clean(reason);
    if reason.chars().count() < 5 || reason.chars().count() > 1000 {
        return Err(StoreError::invalid("reason", "Ghi lý do quyết định (5–1.000 ký tự)"));
    }
    let decided_by = actor.id.ok_or(StoreError::NotFound)?;
    tx.execute(
        "INSERT INTO petition_disclosures (petition_id, user_id, reason, decided_by, decided_at)
         VALUES ($1, $2, $3, $4, $5)",
        params![id, user_id, reason.as_str(), decided_by, crate::now_micros()],
    )
    .await
    .map_err(|e| match e {
        StoreError::Unique(_) => StoreError::invalid("user_id", "Tài khoản này đã được cho xem"),
        e => e,
    })?;
    audit::append(
        tx,
        actor,
        Change {
            action: Action::PetitionDisclosure,
            subject: Subject::petition(id),
            before: None,
            after: Some(json!({ "user_id": user_id, "reason": reason })),
        },
    )
    .await?;
    Ok(())
}

/// Makes an account the head of an inspection committee for its scope, or not.
pub async fn set_custodian(tx: &mut Tx, actor: &Actor, user_id: i64, custodian: bool) -> Result<(), StoreError> {
    crate::accounts::set_grant(tx, actor, user_id, crate::accounts::Grant::PetitionCustodian, custodian).await
}

/// An earlier case the new letter probably repeats, with how alike their contents are.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
pub struct Repeat {
    pub id: i64,
    pub similarity: u32,
}

/// The earlier cases about the same member, organisation or State matter whose content is at
/// least `threshold` percent alike, most alike first. Only the cases of that subject are read,
/// through their index, so a register of any size answers quickly.
pub async fn repeats(
    db: &Db,
    concerns: Concerns,
    member: Option<MemberId>,
    org: Option<OrgId>,
    text: &str,
    summary: &str,
    threshold: u32,
) -> Result<Vec<Repeat>, StoreError> {
    let (sql, args) = same_subject(concerns, member, org, text);
    alike(&db.query(sql, &args).await?, summary, threshold)
}

/// [`repeats`] inside a transaction (the demo registers letters one after another).
pub async fn repeats_tx(
    tx: &mut Tx,
    concerns: Concerns,
    member: Option<MemberId>,
    org: Option<OrgId>,
    text: &str,
    summary: &str,
    threshold: u32,
) -> Result<Vec<Repeat>, StoreError> {
    let (sql, args) = same_subject(concerns, member, org, text);
    alike(&tx.query(sql, &args).await?, summary, threshold)
}

fn same_subject(
    concerns: Concerns,
    member: Option<MemberId>,
    org: Option<OrgId>,
    text: &str,
) -> (&'static str, Vec<Value>) {
    match (concerns, member, org) {
        (Concerns::Member, Some(m), _) => {
            ("SELECT id, words FROM petitions WHERE concerns_member_id = $1", vec![m.into()])
        }
        (Concerns::Org, _, Some(o)) => ("SELECT id, words FROM petitions WHERE concerns_org_id = $1", vec![o.into()]),
        _ => (
            "SELECT id, words FROM petitions WHERE concerns = $1 AND concerns_text = $2",
            vec![concerns.as_str().into(), text.into()],
        ),
    }
}

fn alike(rows: &[Row], summary: &str, threshold: u32) -> Result<Vec<Repeat>, StoreError> {
    let mine = Fingerprint::of(summary);
    let mut found = Vec::new();
    for r in rows {
        let similarity = similarity(&mine, &Fingerprint::from_stored(&r.text(1)?));
        if similarity >= threshold {
            found.push(Repeat { id: r.int(0)?, similarity });
        }
    }
    found.sort_by(|a, b| b.similarity.cmp(&a.similarity).then(a.id.cmp(&b.id)));
    found.truncate(10);
    Ok(found)
}

/// A citizens' reception session (tiếp công dân).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Reception {
    pub id: i64,
    #[schema(value_type = i64)]
    pub org_id: OrgId,
    pub held_on: NaiveDate,
    /// The leader who received the citizens.
    pub leader: String,
    pub people: i64,
    /// The matters raised.
    pub matters: String,
    /// The petitions registered from it.
    pub petitions: i64,
}

pub async fn add_reception(
    tx: &mut Tx,
    actor: &Actor,
    org_id: OrgId,
    held_on: NaiveDate,
    leader: &str,
    people: i64,
    matters: &str,
) -> Result<i64, StoreError> {
    let (leader, matters) = (clean(leader), clean(matters));
    if leader.is_empty() || leader.chars().count() > 200 {
        return Err(StoreError::invalid("leader", "Ghi người chủ trì tiếp công dân (1–200 ký tự)"));
    }
    if !(0..=100_000).contains(&people) {
        return Err(StoreError::invalid("people", "Số lượt người từ 0 đến 100.000"));
    }
    if matters.chars().count() > 10_000 {
        return Err(StoreError::invalid("matters", "Nội dung tối đa 10.000 ký tự"));
    }
    let id = tx
        .query_one(
            "INSERT INTO reception_sessions (org_id, held_on, leader, people, matters, created_at)
             VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
            params![org_id, held_on, leader.as_str(), people, matters.as_str(), crate::now_micros()],
        )
        .await?
        .ok_or(StoreError::NotFound)?
        .int(0)?;
    audit::append(
        tx,
        actor,
        Change {
            action: Action::ReceptionSession,
            subject: Subject::reception(id),
            before: None,
            after: Some(json!({ "org_id": org_id, "held_on": held_on, "people": people })),
        },
    )
    .await?;
    Ok(id)
}

/// A session with the petitions registered from it.
const RECEPTION: &str = "SELECT r.id, r.org_id, r.held_on, r.leader, r.people, r.matters,
     (SELECT COUNT(*) FROM petitions p WHERE p.reception_id = r.id) FROM reception_sessions r";

pub async fn receptions(db: &Db, org_id: OrgId) -> Result<Vec<Reception>, StoreError> {
    let sql = format!("{RECEPTION} WHERE r.org_id = $1 ORDER BY r.held_on DESC, r.id DESC LIMIT 500");
    db.query(&sql, params![org_id]).await?.iter().map(reception_row).collect()
}

pub async fn reception(db: &Db, id: i64) -> Result<Option<Reception>, StoreError> {
    db.query_one(&format!("{RECEPTION} WHERE r.id = $1"), params![id]).await?.map(|r| reception_row(&r)).transpose()
}

fn reception_row(r: &Row) -> Result<Reception, StoreError> {
    Ok(Reception {
        id: r.int(0)?,
        org_id: r.id(1)?,
        held_on: r.date(2)?,
        leader: r.text(3)?,
        people: r.int(4)?,
        matters: r.text(5)?,
        petitions: r.int(6)?,
    })
}

/// The organisation whose committee, standing board or inspection committee is competent
/// (22-QĐ/TW Điều 19 khoản 1: those managed by the same-level committee): for a member who
/// holds a post, the committee above the organisation of the highest post (it manages its
/// holders); for another member, the grassroots organisation of the member's cell; for an
/// organisation, the committee above it. `None` for a matter of the State.
pub async fn competent_org(
    db: &Db,
    concerns: Concerns,
    member: Option<MemberId>,
    org: Option<OrgId>,
    today: NaiveDate,
) -> Result<Option<OrgId>, StoreError> {
    use crate::orgs;
    match (concerns, member, org) {
        (Concerns::Member, Some(m), _) => {
            let post = db
                .query_one(
                    "SELECT h.org_id FROM post_holders h JOIN org_versions v ON v.org_id = h.org_id AND v.valid_to IS NULL
                     WHERE h.member_id = $1 AND h.until IS NULL
                     ORDER BY length(v.path), h.org_id LIMIT 1",
                    params![m],
                )
                .await?;
            if let Some(p) = post {
                let p: OrgId = p.id(0)?;
                let above = orgs::get(db, p, today).await?.and_then(|o| o.parent_id);
                return Ok(Some(above.unwrap_or(p)));
            }
            let Some(cell) = crate::members::cell_of(db, m).await? else { return Ok(None) };
            let Some(cell) = orgs::get(db, cell, today).await? else { return Ok(None) };
            for id in dangvu_domain::orgs::tree::ids(&cell.path).into_iter().rev() {
                if let Some(o) = orgs::get(db, id, today).await?
                    && matches!(
                        o.kind,
                        dangvu_domain::orgs::OrgKind::GrassrootsCommittee
                            | dangvu_domain::orgs::OrgKind::GrassrootsCell
                    )
                {
                    return Ok(Some(o.id));
                }
            }
            Ok(Some(cell.id))
        }
        (Concerns::Org, _, Some(o)) => Ok(orgs::get(db, o, today).await?.map(|o| o.parent_id.unwrap_or(o.id))),
        _ => Ok(None),
    }
}

/// Registers in the competent organisation's register the case `from` was forwarded as: the
/// same letter, received there on `on` (its clock starts again there: the day count starts
/// when the competent body receives it, HD 07-HD/UBKTTW), its sender sealed again for the new
/// case.
pub async fn forward_into(
    tx: &mut Tx,
    actor: &Actor,
    key: &IdentityKey,
    from: &Petition,
    to_org: OrgId,
    on: NaiveDate,
    clock: &Clockwork<'_>,
) -> Result<i64, StoreError> {
    let row = tx.query_one("SELECT sender_sealed FROM petitions WHERE id = $1", params![from.id]).await?;
    let sealed = row.ok_or(StoreError::NotFound)?.opt_text(0)?;
    let sender = sealed.map(|s| identity::open(key, from.id, &s)).transpose()?;
    let rule = clock.rules.limit(from.kind).clone();
    let dates = Clock::of(&rule, &ClockFacts::received(on), clock.calendar);
    let intake = Intake {
        org_id: to_org,
        number: None,
        received_on: on,
        channel: Channel::Forwarded,
        kind: from.kind,
        summary: from.summary.clone(),
        concerns: from.concerns,
        concerns_member_id: from.concerns_member_id,
        concerns_org_id: from.concerns_org_id,
        concerns_text: from.concerns_text.clone(),
        competent_org_id: Some(to_org),
        congress_id: from.congress_id,
        reception_id: None,
        state: State::Received,
        not_handled_reason: None,
        repeat_of: None,
        guided_to_denounce: from.guided_to_denounce,
        rule,
        clock: dates,
        sender,
    };
    register(tx, actor, key, &intake).await
}

/// The open cases an account handles, the nearest deadline first: what the handler's home page
/// and reminders list.
pub async fn assigned(db: &Db, user_id: i64, clock: &Clockwork<'_>) -> Result<Vec<Petition>, StoreError> {
    let sql = format!(
        "SELECT {} FROM petitions p JOIN petition_handlers h ON h.petition_id = p.id
         WHERE h.user_id = $1 AND p.state IN ('received', 'accepted', 'paused', 'held')
         ORDER BY p.id LIMIT 500",
        col::SQL
    );
    let mut cases: Vec<Petition> =
        db.query(&sql, params![user_id]).await?.iter().map(|r| petition_row(r, clock)).collect::<Result<_, _>>()?;
    cases.sort_by_key(|p| {
        match p.status {
            State::Received => Some(p.accept_due_on),
            _ => p.due_on,
        }
        .unwrap_or(NaiveDate::MAX)
    });
    Ok(cases)
}

/// How many open cases of a subtree are overdue and due soon today.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, ToSchema)]
pub struct Deadlines {
    pub open: i64,
    pub due_soon: i64,
    pub overdue: i64,
}

pub async fn deadlines(db: &Db, path: &str, clock: &Clockwork<'_>) -> Result<Deadlines, StoreError> {
    let rows = db
        .query(
            "SELECT p.state, p.accept_due_on, p.due_on FROM petitions p
             WHERE p.state IN ('received', 'accepted', 'paused', 'held')
               AND p.org_id IN (SELECT org_id FROM org_versions
                   WHERE valid_from <= $1 AND (valid_to IS NULL OR valid_to > $1) AND path >= $2 AND path < $3)",
            params![clock.today, path, subtree_end(path)],
        )
        .await?;
    let mut d = Deadlines::default();
    for r in &rows {
        let state = r.word(0, State::parse)?;
        let dates = Clock { accept_due_on: r.date(1)?, due_on: r.opt_date(2)? };
        d.open += 1;
        match Timing::of(state, &dates, None, clock.today, clock.rules.due_soon_days, clock.calendar) {
            Timing::Overdue => d.overdue += 1,
            Timing::DueSoon => d.due_soon += 1,
            _ => {}
        }
    }
    Ok(d)
}

/// A scanned letter of a case: what it is, never its name or content.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Scan {
    pub id: i64,
    pub petition_id: i64,
    pub content_type: String,
    pub size: i64,
    /// RFC 3339.
    pub added_at: String,
}

/// Seals and keeps a scanned letter of a case (its bytes already checked by `files::check`).
pub async fn attach_scan(
    tx: &mut Tx,
    actor: &Actor,
    key: &IdentityKey,
    id: i64,
    content_type: &str,
    data: &[u8],
) -> Result<i64, StoreError> {
    let sealed = identity::seal_bytes(key, id, data)?;
    let size = i64::try_from(data.len()).unwrap_or(i64::MAX);
    let scan = tx
        .query_one(
            "INSERT INTO petition_scans (petition_id, content_type, size, sealed, created_at)
             VALUES ($1, $2, $3, $4, $5) RETURNING id",
            params![id, content_type, size, sealed, crate::now_micros()],
        )
        .await?
        .ok_or(StoreError::NotFound)?
        .int(0)?;
    audit::append(
        tx,
        actor,
        Change {
            action: Action::PetitionStep,
            subject: Subject::petition(id),
            before: None,
            after: Some(json!({ "scan": scan, "content_type": content_type, "size": size })),
        },
    )
    .await?;
    Ok(scan)
}

pub async fn scans(db: &Db, id: i64) -> Result<Vec<Scan>, StoreError> {
    db.query(
        "SELECT id, petition_id, content_type, size, created_at FROM petition_scans WHERE petition_id = $1 ORDER BY id",
        params![id],
    )
    .await?
    .iter()
    .map(scan_row)
    .collect()
}

fn scan_row(r: &Row) -> Result<Scan, StoreError> {
    Ok(Scan {
        id: r.int(0)?,
        petition_id: r.int(1)?,
        content_type: r.text(2)?,
        size: r.int(3)?,
        added_at: crate::from_micros(r.int(4)?).to_rfc3339(),
    })
}

/// A scan's case, to check who may read it before opening it.
pub async fn scan_case(db: &Db, scan_id: i64) -> Result<Option<i64>, StoreError> {
    db.query_one("SELECT petition_id FROM petition_scans WHERE id = $1", params![scan_id])
        .await?
        .map(|r| r.int(0))
        .transpose()
}

/// A scan opened with the server's key.
pub async fn open_scan(db: &Db, key: &IdentityKey, scan_id: i64) -> Result<Option<(Scan, Vec<u8>)>, StoreError> {
    let Some(r) = db
        .query_one(
            "SELECT id, petition_id, content_type, size, created_at, sealed FROM petition_scans WHERE id = $1",
            params![scan_id],
        )
        .await?
    else {
        return Ok(None);
    };
    let scan = scan_row(&r)?;
    let data = identity::open_bytes(key, scan.petition_id, &r.bytes(5)?)?;
    Ok(Some((scan, data)))
}
