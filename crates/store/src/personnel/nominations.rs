//! The cases of the five-step procedure: the case of one vacancy, its steps as completed, its
//! conferences (each an election of the ballot engine, opened only with a quorum, its choice by
//! the selection rule) and its deadlines. The rules are `dangvu_domain::personnel::nomination`.

use chrono::NaiveDate;
use dangvu_domain::audit::Action;
use dangvu_domain::elections::{BallotKind, Body, ElectionKind, ElectionRules, Electors};
use dangvu_domain::ids::OrgId;
use dangvu_domain::members::HolidayCalendar;
use dangvu_domain::orgs::tree::subtree_end;
use dangvu_domain::personnel::Post;
use dangvu_domain::personnel::nomination::{
    CaseEvent, Deadlines, NominationRules, Source, Step, after, deadlines, has_quorum, selected,
};
use dangvu_domain::text::clean;
use serde::Serialize;
use serde_json::json;
use utoipa::ToSchema;

use crate::audit::{self, Actor, Change, Subject};
use crate::db::Row;
use crate::elections::{self, NewCandidate, NewElection};
use crate::{Db, StoreError, Tx, params};

/// Appointment (bổ nhiệm) or nomination for election (giới thiệu ứng cử).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Purpose {
    Appointment,
    Nomination,
}

impl Purpose {
    pub fn as_str(self) -> &'static str {
        match self {
            Purpose::Appointment => "appointment",
            Purpose::Nomination => "nomination",
        }
    }

    pub fn parse(s: &str) -> Option<Purpose> {
        [Purpose::Appointment, Purpose::Nomination].into_iter().find(|p| p.as_str() == s)
    }
}

fn source_of(s: &str) -> Option<Source> {
    match s {
        "inside" => Some(Source::Inside),
        "outside" => Some(Source::Outside),
        _ => None,
    }
}

fn source_str(s: Source) -> &'static str {
    match s {
        Source::Inside => "inside",
        Source::Outside => "outside",
    }
}

/// A step completed.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct StepDone {
    #[schema(value_type = String, example = "expanded_conference")]
    pub step: Step,
    pub label: &'static str,
    pub completed_on: NaiveDate,
    pub note: String,
    /// The conference's choice, for a step that votes.
    pub chosen_name: Option<String>,
}

/// A conference held (or being counted) for a step.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Conference {
    #[schema(value_type = String, example = "expanded_conference")]
    pub step: Step,
    pub election_id: i64,
    pub summoned: u32,
    pub present: u32,
    /// Once counted: each name's "đồng ý" votes, in the ballot's order.
    pub votes: Vec<ConferenceVote>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ConferenceVote {
    pub full_name: String,
    pub votes: u32,
    /// More than the selection share of the summoned.
    pub above_threshold: bool,
}

/// A case as its page and the API show it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Case {
    pub id: i64,
    #[schema(value_type = i64)]
    pub org_id: OrgId,
    pub org_name: String,
    #[schema(value_type = String, example = "deputy_secretary")]
    pub post: Post,
    pub post_label: &'static str,
    pub body_id: Option<i64>,
    pub purpose: Purpose,
    /// `inside` or `outside`.
    pub source: String,
    pub title: String,
    /// The current step.
    #[schema(value_type = String, example = "expanded_conference")]
    pub step: Step,
    pub step_label: &'static str,
    pub requested_on: NaiveDate,
    pub policy_approved_on: Option<NaiveDate>,
    pub started_on: Option<NaiveDate>,
    pub closed_on: Option<NaiveDate>,
    pub decision: Option<String>,
    pub stop_reason: Option<String>,
    pub chosen_name: Option<String>,
    pub deadlines: Deadlines,
    /// The deadlines missed (`policy`, `start`, `complete`), on `today` for an open case.
    pub late: Vec<&'static str>,
    pub steps: Vec<StepDone>,
    pub conferences: Vec<Conference>,
}

pub struct NewCase {
    pub org_id: OrgId,
    pub post: Post,
    pub body_id: Option<i64>,
    pub purpose: Purpose,
    pub source: Source,
    pub title: String,
    pub requested_on: NaiveDate,
}

const CASE_COLUMNS: &str = "c.id, c.org_id, c.post, c.body_id, c.purpose, c.source, c.title, c.step, c.requested_on,
     c.policy_approved_on, c.started_on, c.closed_on, c.decision, c.stop_reason, c.chosen_name,
     COALESCE((SELECT v.name FROM org_versions v WHERE v.org_id = c.org_id AND v.valid_to IS NULL), '')";

fn case_row(
    r: &Row,
    rules: &NominationRules,
    calendar: &HolidayCalendar,
    today: NaiveDate,
) -> Result<Case, StoreError> {
    let post = r.word(2, Post::parse)?;
    let step = r.word(7, Step::parse)?;
    let source = r.text(5)?;
    let (requested_on, policy_approved_on, started_on, closed_on) =
        (r.date(8)?, r.opt_date(9)?, r.opt_date(10)?, r.opt_date(11)?);
    let d = deadlines(requested_on, policy_approved_on, started_on, rules, calendar);
    // A deadline is missed when its event came after it, or has not come and the day is past.
    let missed = |by: Option<NaiveDate>, done: Option<NaiveDate>| match (by, done) {
        (Some(by), Some(done)) => done > by,
        (Some(by), None) => step.is_open() && today > by,
        (None, _) => false,
    };
    let mut late = Vec::new();
    if missed(d.policy_by, policy_approved_on) {
        late.push("policy");
    }
    if missed(d.start_by, started_on) {
        late.push("start");
    }
    if missed(d.complete_by, closed_on.filter(|_| step == Step::Decided)) {
        late.push("complete");
    }
    Ok(Case {
        id: r.int(0)?,
        org_id: r.id(1)?,
        org_name: r.text(15)?,
        post,
        post_label: post.label(),
        body_id: r.opt_int(3)?,
        purpose: r.word(4, Purpose::parse)?,
        source,
        title: r.text(6)?,
        step,
        step_label: step.label(),
        requested_on,
        policy_approved_on,
        started_on,
        closed_on,
        decision: r.opt_text(12)?,
        stop_reason: r.opt_text(13)?,
        chosen_name: r.opt_text(14)?,
        deadlines: d,
        late,
        steps: Vec::new(),
        conferences: Vec::new(),
    })
}

pub async fn case(
    db: &Db,
    id: i64,
    rules: &NominationRules,
    calendar: &HolidayCalendar,
    today: NaiveDate,
) -> Result<Option<Case>, StoreError> {
    let sql = format!("SELECT {CASE_COLUMNS} FROM nomination_cases c WHERE c.id = $1");
    let Some(r) = db.query_one(&sql, params![id]).await? else { return Ok(None) };
    let mut c = case_row(&r, rules, calendar, today)?;
    for s in db
        .query(
            "SELECT step, completed_on, note, chosen_name FROM nomination_steps WHERE case_id = $1 ORDER BY id",
            params![id],
        )
        .await?
    {
        let step = s.word(0, Step::parse)?;
        c.steps.push(StepDone {
            step,
            label: step.label(),
            completed_on: s.date(1)?,
            note: s.text(2)?,
            chosen_name: s.opt_text(3)?,
        });
    }
    for s in db
        .query("SELECT step, election_id, summoned, present FROM nomination_conferences WHERE case_id = $1 ORDER BY election_id", params![id])
        .await?
    {
        let (election_id, summoned) = (s.int(1)?, u32::try_from(s.int(2)?).unwrap_or(0));
        let mut votes = Vec::new();
        if let Some(election) = elections::get(db, election_id).await?
            && election.status.is_counted()
            && let Some((_, outcome)) = elections::result(db, &election).await?
        {
            for standing in &outcome.standings {
                let Some(c) = election.candidates.iter().find(|c| c.number == standing.number) else { continue };
                votes.push(ConferenceVote {
                    full_name: c.full_name.clone(),
                    votes: standing.votes,
                    above_threshold: u64::from(standing.votes) * 100
                        > u64::from(summoned) * u64::from(rules.selection_min_percent),
                });
            }
        }
        c.conferences.push(Conference {
            step: s.word(0, Step::parse)?,
            election_id,
            summoned,
            present: u32::try_from(s.int(3)?).unwrap_or(0),
            votes,
        });
    }
    Ok(Some(c))
}

/// The cases of a subtree, open first, then the latest.
pub async fn cases_in(
    db: &Db,
    path: &str,
    rules: &NominationRules,
    calendar: &HolidayCalendar,
    today: NaiveDate,
) -> Result<Vec<Case>, StoreError> {
    let sql = format!(
        "SELECT {CASE_COLUMNS} FROM nomination_cases c WHERE c.org_id IN (SELECT org_id FROM org_versions
             WHERE valid_from <= $1 AND (valid_to IS NULL OR valid_to > $1) AND path >= $2 AND path < $3)
         ORDER BY c.closed_on IS NOT NULL, c.id DESC LIMIT 2000"
    );
    let rows = db.query(&sql, params![today, path, subtree_end(path)]).await?;
    rows.iter().map(|r| case_row(r, rules, calendar, today)).collect()
}

/// Whether an election is a conference of a case (its ballots are personnel data).
pub async fn is_conference(db: &Db, election_id: i64) -> Result<bool, StoreError> {
    Ok(db
        .query_one("SELECT 1 FROM nomination_conferences WHERE election_id = $1", params![election_id])
        .await?
        .is_some())
}

pub async fn create_case(tx: &mut Tx, actor: &Actor, new: NewCase) -> Result<i64, StoreError> {
    let title = clean(&new.title);
    if title.is_empty() || title.chars().count() > 300 {
        return Err(StoreError::invalid("title", "Tên quy trình từ 1 đến 300 ký tự"));
    }
    super::posts::check_board(tx, new.org_id, new.post, new.body_id).await?;
    let id = tx
        .query_one(
            "INSERT INTO nomination_cases (org_id, post, body_id, purpose, source, title, step, requested_on, created_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
            params![
                new.org_id,
                new.post.as_str(),
                new.body_id,
                new.purpose.as_str(),
                source_str(new.source),
                title.as_str(),
                Step::Policy.as_str(),
                new.requested_on,
                crate::now_micros()
            ],
        )
        .await?
        .ok_or(StoreError::NotFound)?
        .int(0)?;
    audit::append(
        tx,
        actor,
        Change {
            action: Action::NominationCase,
            subject: Subject::nomination_case(id),
            before: None,
            after: Some(json!({"org_id": new.org_id, "post": new.post.as_str(), "purpose": new.purpose.as_str(),
                "source": source_str(new.source), "requested_on": new.requested_on})),
        },
    )
    .await?;
    Ok(id)
}

/// The case's step and source, locked by the write that follows (PostgreSQL).
async fn step_of(tx: &mut Tx, id: i64) -> Result<(Step, Source, OrgId, String), StoreError> {
    let sql = match tx.backend() {
        crate::Backend::Postgres => "SELECT step, source, org_id, title FROM nomination_cases WHERE id = $1 FOR UPDATE",
        crate::Backend::Sqlite => "SELECT step, source, org_id, title FROM nomination_cases WHERE id = $1",
    };
    let r = tx.query_one(sql, params![id]).await?.ok_or(StoreError::NotFound)?;
    Ok((r.word(0, Step::parse)?, r.word(1, source_of)?, r.id(2)?, r.text(3)?))
}

/// A conference as the convening side records it: those summoned, those present, the names on
/// its ballot.
pub struct NewConference {
    pub summoned: u32,
    pub present: u32,
    pub names: Vec<String>,
}

/// Opens the conference of the current step: refused without a quorum of those summoned, so
/// no result is ever entered for a conference that could not vote. Its ballot lists the names
/// with "đồng ý / không đồng ý"; the tellers enter it twice as for any election.
pub async fn open_conference(
    tx: &mut Tx,
    actor: &Actor,
    id: i64,
    conference: &NewConference,
    rules: &NominationRules,
    election_rules: &ElectionRules,
) -> Result<i64, StoreError> {
    let NewConference { summoned, present, names } = conference;
    let (summoned, present) = (*summoned, *present);
    let (step, _, org_id, title) = step_of(tx, id).await?;
    if !step.votes() {
        return Err(StoreError::invalid("step", format!("{}: bước này không bỏ phiếu", step.label())));
    }
    if present > summoned {
        return Err(StoreError::invalid("present", "Số có mặt không quá số được triệu tập"));
    }
    if !has_quorum(present, summoned, rules) {
        return Err(StoreError::invalid(
            "present",
            format!(
                "Hội nghị cần ít nhất {}/{} số được triệu tập có mặt mới được bỏ phiếu",
                rules.quorum_numerator, rules.quorum_denominator
            ),
        ));
    }
    let names: Vec<String> = names.iter().map(|n| clean(n)).filter(|n| !n.is_empty()).collect();
    if names.is_empty() || names.len() > 50 {
        return Err(StoreError::invalid("names", "Ghi từ 1 đến 50 người được giới thiệu"));
    }
    if tx
        .query_one("SELECT 1 FROM nomination_conferences WHERE case_id = $1 AND step = $2", params![id, step.as_str()])
        .await?
        .is_some()
    {
        return Err(StoreError::invalid("step", "Hội nghị của bước này đã được tổ chức"));
    }
    let new = NewElection {
        org_id,
        congress_id: None,
        title: format!("{} — {title}", step.label()),
        kind: ElectionKind::Conference,
        ballot: BallotKind::Approval,
        seats: u32::try_from(names.len()).unwrap_or(1),
        electors: Electors { summoned, excluded: Default::default() },
        candidates: names.into_iter().map(|full_name| NewCandidate { full_name, member_id: None }).collect(),
        body: Body::Other,
        term: None,
    };
    let election = elections::create(tx, actor, &new, election_rules).await?;
    tx.execute(
        "INSERT INTO nomination_conferences (election_id, case_id, step, summoned, present) VALUES ($1, $2, $3, $4, $5)",
        params![election, id, step.as_str(), i64::from(summoned), i64::from(present)],
    )
    .await?;
    Ok(election)
}

/// What closes a step: its day, a note, and for the last step the decision issued.
pub struct Completion {
    pub on: NaiveDate,
    pub note: String,
    pub decision: String,
}

/// Completes the current step. A step that votes takes its conference's final count and the
/// selection rule's choice; the policy's step records its approval (the start's deadline counts
/// from it), step 1 the start, the last vote the decision.
pub async fn complete_step(
    tx: &mut Tx,
    actor: &Actor,
    id: i64,
    done: &Completion,
    rules: &NominationRules,
) -> Result<Step, StoreError> {
    let (step, source, _, _) = step_of(tx, id).await?;
    let next = after(step, source, CaseEvent::Complete).map_err(|why| StoreError::invalid("step", why))?;
    let note = clean(&done.note);
    if note.chars().count() > 2000 {
        return Err(StoreError::invalid("note", "Ghi chú tối đa 2.000 ký tự"));
    }
    let mut chosen = None;
    if step.votes() {
        let conf = tx
            .query_one(
                "SELECT election_id, summoned FROM nomination_conferences WHERE case_id = $1 AND step = $2",
                params![id, step.as_str()],
            )
            .await?
            .ok_or_else(|| StoreError::invalid("step", "Chưa tổ chức hội nghị bỏ phiếu của bước này"))?;
        let (election_id, summoned) = (conf.int(0)?, u32::try_from(conf.int(1)?).unwrap_or(0));
        let election = elections::get_in(tx, election_id).await?.ok_or(StoreError::NotFound)?;
        let outcome = match (election.status.is_counted(), elections::result_in(tx, &election).await?) {
            (true, Some((_, outcome))) => outcome,
            _ => {
                return Err(StoreError::invalid(
                    "step",
                    "Phiếu của hội nghị chưa được kiểm xong (nhập hai lần, khớp nhau)",
                ));
            }
        };
        let votes: Vec<(u32, u32)> = outcome.standings.iter().map(|s| (s.number, s.votes)).collect();
        let Some(number) = selected(&votes, summoned, rules) else {
            return Err(StoreError::invalid(
                "step",
                format!(
                    "Không ai được trên {}% số được triệu tập, hoặc số phiếu cao nhất bằng nhau: tập thể lãnh đạo xem xét; có thể dừng quy trình",
                    rules.selection_min_percent
                ),
            ));
        };
        chosen = election.candidates.iter().find(|c| c.number == number).map(|c| c.full_name.clone());
    }
    let decision = clean(&done.decision);
    if next == Step::Decided && (decision.is_empty() || decision.chars().count() > 200) {
        return Err(StoreError::invalid("decision", "Ghi số và ngày của quyết định bổ nhiệm hoặc giới thiệu"));
    }
    tx.execute(
        "INSERT INTO nomination_steps (case_id, step, completed_on, note, chosen_name) VALUES ($1, $2, $3, $4, $5)",
        params![id, step.as_str(), done.on, note.as_str(), chosen.clone()],
    )
    .await?;
    // Each statement binds exactly the values it names (SQLite refuses a value it has no place for).
    let (step_word, next_word) = (step.as_str(), next.as_str());
    match step {
        Step::Policy => {
            tx.execute(
                "UPDATE nomination_cases SET step = $2, policy_approved_on = $3 WHERE id = $1 AND step = $4",
                params![id, next_word, done.on, step_word],
            )
            .await?
        }
        Step::LeadershipProposal => {
            tx.execute(
                "UPDATE nomination_cases SET step = $2, started_on = $3 WHERE id = $1 AND step = $4",
                params![id, next_word, done.on, step_word],
            )
            .await?
        }
        _ if next == Step::Decided => {
            tx.execute(
                "UPDATE nomination_cases SET step = $2, closed_on = $3, decision = $4, chosen_name = COALESCE($5, chosen_name)
                 WHERE id = $1 AND step = $6",
                params![id, next_word, done.on, decision.as_str(), chosen.clone(), step_word],
            )
            .await?
        }
        _ => {
            tx.execute(
                "UPDATE nomination_cases SET step = $2, chosen_name = COALESCE($3, chosen_name) WHERE id = $1 AND step = $4",
                params![id, next_word, chosen.clone(), step_word],
            )
            .await?
        }
    };
    // Who the conferences chose is personnel data: the log, which every admin reads, keeps the step.
    audit::append(
        tx,
        actor,
        Change {
            action: Action::NominationStep,
            subject: Subject::nomination_case(id),
            before: Some(json!({"step": step.as_str()})),
            after: Some(json!({"step": next.as_str(), "on": done.on})),
        },
    )
    .await?;
    Ok(next)
}

/// Stops a case: the policy refused, nobody above half, or withdrawn.
pub async fn stop_case(tx: &mut Tx, actor: &Actor, id: i64, on: NaiveDate, reason: &str) -> Result<(), StoreError> {
    let (step, source, _, _) = step_of(tx, id).await?;
    after(step, source, CaseEvent::Stop).map_err(|why| StoreError::invalid("step", why))?;
    let reason = clean(reason);
    if reason.is_empty() || reason.chars().count() > 2000 {
        return Err(StoreError::invalid("reason", "Ghi lý do dừng quy trình (tối đa 2.000 ký tự)"));
    }
    tx.execute(
        "UPDATE nomination_cases SET step = $2, closed_on = $3, stop_reason = $4 WHERE id = $1",
        params![id, Step::Stopped.as_str(), on, reason.as_str()],
    )
    .await?;
    audit::append(
        tx,
        actor,
        Change {
            action: Action::NominationStep,
            subject: Subject::nomination_case(id),
            before: Some(json!({"step": step.as_str()})),
            after: Some(json!({"step": Step::Stopped.as_str(), "on": on})),
        },
    )
    .await?;
    Ok(())
}

/// The organisation of a case, for the caller's scope check.
pub async fn case_org(db: &Db, id: i64) -> Result<Option<OrgId>, StoreError> {
    db.query_one("SELECT org_id FROM nomination_cases WHERE id = $1", params![id]).await?.map(|r| r.id(0)).transpose()
}

/// The elections of an organisation that are conferences of its cases.
pub async fn conferences_of_org(db: &Db, org_id: OrgId) -> Result<std::collections::HashSet<i64>, StoreError> {
    let rows = db
        .query(
            "SELECT n.election_id FROM nomination_conferences n JOIN nomination_cases c ON c.id = n.case_id
             WHERE c.org_id = $1",
            params![org_id],
        )
        .await?;
    rows.iter().map(|r| r.int(0)).collect()
}
