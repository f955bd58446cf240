//! After the count (Chương VI, QĐ 190-QĐ/TW): the complaints about an election received in its
//! window, the custody and destruction of the sealed ballots, the committee above's approval
//! (chuẩn y) and the people approved taking the organisation's posts. The rules are
//! `dangvu_domain::elections::{approval, custody}`.

use std::collections::BTreeSet;

use chrono::NaiveDate;
use dangvu_domain::audit::Action;
use dangvu_domain::elections::approval::{Approval, Decision};
use dangvu_domain::elections::custody::{check_destruction, complaint_window_ends, in_time, sealed_until};
use dangvu_domain::elections::state::State;
use dangvu_domain::elections::{Body, ElectionRules};
use dangvu_domain::ids::{MemberId, OrgId};
use dangvu_domain::members::HolidayCalendar;
use dangvu_domain::personnel::Post;
use dangvu_domain::tasks::NewTask;
use dangvu_domain::text::clean;
use serde::Serialize;
use serde_json::json;
use utoipa::ToSchema;

use super::count::Reader;
use super::{Election, lock};
use crate::audit::{self, Actor, Change, Subject};
use crate::{Db, StoreError, Tx, params};

/// A complaint about the election as the receiving committee's register records it: never who
/// complained (that stays in the petitions' register, behind its handlers).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Complaint {
    pub id: i64,
    pub received_on: NaiveDate,
    /// The register's reference (số đơn, số vào sổ).
    pub reference: String,
    /// Received within the window of Điều 33; `null` while the window is not known yet.
    pub in_time: Option<bool>,
    pub resolved_on: Option<NaiveDate>,
    pub outcome: Option<String>,
}

/// What follows the count, as the election page and `GET /elections/{id}` show it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct After {
    /// The day the window for complaints counts from: the congress's closing day, or the day
    /// the ballots were sealed for an election outside a congress. `null` until known.
    pub window_from: Option<NaiveDate>,
    /// The last day a complaint is received in time (Điều 33).
    pub complaint_window_ends: Option<NaiveDate>,
    pub complaints: Vec<Complaint>,
    /// The first day the sealed ballots may be destroyed (Điều 35).
    pub sealed_until: Option<NaiveDate>,
    /// Whether the destruction may be decided today.
    pub may_destroy: bool,
    /// Why it may not, when it may not and the ballots are sealed.
    pub destruction_blocked: Option<String>,
}

/// The window, the complaints and the custody of an election, on `today`.
pub async fn after(
    db: &Db,
    election: &Election,
    rules: &ElectionRules,
    calendar: &HolidayCalendar,
    today: NaiveDate,
) -> Result<After, StoreError> {
    let window_from = window_from(&mut Reader::Db(db), election).await?;
    let window = window_from.map(|d| complaint_window_ends(d, rules, calendar));
    let rows = db
        .query(
            "SELECT id, received_on, reference, resolved_on, outcome FROM election_complaints
             WHERE election_id = $1 ORDER BY received_on, id",
            params![election.id],
        )
        .await?;
    let complaints = rows
        .iter()
        .map(|r| {
            let received_on = r.date(1)?;
            Ok(Complaint {
                id: r.int(0)?,
                received_on,
                reference: r.text(2)?,
                in_time: window.map(|w| in_time(received_on, w)),
                resolved_on: r.opt_date(3)?,
                outcome: r.opt_text(4)?,
            })
        })
        .collect::<Result<Vec<_>, StoreError>>()?;
    let until = election.sealed_on.map(|d| sealed_until(d, rules));
    let pending = complaints.iter().filter(|c| c.resolved_on.is_none()).count();
    let blocked = match (until, election.destroyed_on) {
        (Some(until), None) => check_destruction(today, until, window, pending).err().map(str::to_owned),
        _ => None,
    };
    Ok(After {
        window_from,
        complaint_window_ends: window,
        complaints,
        sealed_until: until,
        may_destroy: until.is_some() && election.destroyed_on.is_none() && blocked.is_none(),
        destruction_blocked: blocked,
    })
}

/// The day the complaint window counts from (Điều 33: after the congress closes), if known.
async fn window_from(reader: &mut Reader<'_>, election: &Election) -> Result<Option<NaiveDate>, StoreError> {
    let Some(congress_id) = election.congress_id else { return Ok(election.sealed_on) };
    let rows = reader.query("SELECT closed_on FROM congresses WHERE id = $1", params![congress_id]).await?;
    Ok(rows.first().map(|r| r.opt_date(0)).transpose()?.flatten())
}

/// Records a complaint about the election received on `received_on` under `reference`.
pub async fn complaint(
    tx: &mut Tx,
    actor: &Actor,
    election: &Election,
    received_on: NaiveDate,
    reference: &str,
) -> Result<i64, StoreError> {
    let election = &lock(tx, election.id).await?;
    if !election.status.is_counted() {
        return Err(StoreError::invalid("status", "Khiếu nại về bầu cử được ghi khi đã có kết quả kiểm phiếu"));
    }
    let reference = clean(reference);
    if reference.is_empty() || reference.chars().count() > 200 {
        return Err(StoreError::invalid("reference", "Ghi số đơn trong sổ tiếp nhận (1–200 ký tự)"));
    }
    let id = tx
        .query_one(
            "INSERT INTO election_complaints (election_id, received_on, reference, created_by, created_at)
             VALUES ($1, $2, $3, $4, $5) RETURNING id",
            params![election.id, received_on, reference.as_str(), actor.id, crate::now_micros()],
        )
        .await?
        .ok_or(StoreError::NotFound)?
        .int(0)?;
    audit::append(
        tx,
        actor,
        Change {
            action: Action::ElectionComplaint,
            subject: Subject::election(election.id),
            before: None,
            after: Some(json!({"complaint_id": id, "received_on": received_on, "reference": reference})),
        },
    )
    .await?;
    Ok(id)
}

/// Records that a complaint was resolved on `on`, with its outcome in a few words.
pub async fn resolve_complaint(
    tx: &mut Tx,
    actor: &Actor,
    election: &Election,
    complaint_id: i64,
    on: NaiveDate,
    outcome: &str,
) -> Result<(), StoreError> {
    let election = &lock(tx, election.id).await?;
    let outcome = clean(outcome);
    if outcome.is_empty() || outcome.chars().count() > 2000 {
        return Err(StoreError::invalid("outcome", "Ghi kết quả giải quyết (1–2000 ký tự)"));
    }
    let row = tx
        .query_one(
            "SELECT received_on, resolved_on FROM election_complaints WHERE id = $1 AND election_id = $2",
            params![complaint_id, election.id],
        )
        .await?
        .ok_or(StoreError::NotFound)?;
    if row.opt_date(1)?.is_some() {
        return Err(StoreError::invalid("status", "Khiếu nại này đã được giải quyết"));
    }
    if on < row.date(0)? {
        return Err(StoreError::invalid("resolved_on", "Ngày giải quyết không trước ngày nhận đơn"));
    }
    tx.execute(
        "UPDATE election_complaints SET resolved_on = $2, outcome = $3 WHERE id = $1",
        params![complaint_id, on, outcome.as_str()],
    )
    .await?;
    audit::append(
        tx,
        actor,
        Change {
            action: Action::ElectionComplaint,
            subject: Subject::election(election.id),
            before: None,
            after: Some(json!({"complaint_id": complaint_id, "resolved_on": on, "outcome": outcome})),
        },
    )
    .await?;
    Ok(())
}

/// The committee's decision to destroy the sealed ballots on `on` (Điều 35): only once the
/// sealing months are over and no complaint is pending. The minutes and the per-ballot record
/// stay, as the archive of the count; the paper is what is destroyed.
pub async fn destroy(
    tx: &mut Tx,
    actor: &Actor,
    election: &Election,
    on: NaiveDate,
    reference: &str,
    rules: &ElectionRules,
    calendar: &HolidayCalendar,
) -> Result<(), StoreError> {
    let election = &lock(tx, election.id).await?;
    let (State::Sealed, Some(sealed_on)) = (election.status, election.sealed_on) else {
        return Err(StoreError::invalid("status", "Chỉ tiêu hủy phiếu bầu đã niêm phong"));
    };
    if election.destroyed_on.is_some() {
        return Err(StoreError::invalid("status", "Phiếu bầu đã được tiêu hủy"));
    }
    let reference = clean(reference);
    if reference.is_empty() || reference.chars().count() > 200 {
        return Err(StoreError::invalid("reference", "Ghi số quyết định tiêu hủy (1–200 ký tự)"));
    }
    let window_ends =
        window_from(&mut Reader::Tx(tx), election).await?.map(|d| complaint_window_ends(d, rules, calendar));
    let pending = tx
        .query_one(
            "SELECT COUNT(*) FROM election_complaints WHERE election_id = $1 AND resolved_on IS NULL",
            params![election.id],
        )
        .await?
        .ok_or(StoreError::NotFound)?
        .int(0)?;
    check_destruction(on, sealed_until(sealed_on, rules), window_ends, pending as usize)
        .map_err(|why| StoreError::invalid("destroyed_on", why))?;
    tx.execute(
        "UPDATE elections SET destroyed_on = $2, destruction_reference = $3 WHERE id = $1",
        params![election.id, on, reference.as_str()],
    )
    .await?;
    audit::append(
        tx,
        actor,
        Change {
            action: Action::ElectionDestruction,
            subject: Subject::election(election.id),
            before: None,
            after: Some(json!({"destroyed_on": on, "reference": reference})),
        },
    )
    .await?;
    Ok(())
}

/// The committee above's task to approve the result, given when the ballots are sealed (the
/// top of the tree has nobody above it in dangvu: its result is approved outside).
pub(super) async fn give_approval_task(
    tx: &mut Tx,
    actor: &Actor,
    election: &Election,
    on: NaiveDate,
) -> Result<(), StoreError> {
    let elected = match super::count::result_in(tx, election).await? {
        Some((_, outcome)) => outcome.elected().count(),
        None => 0,
    };
    if elected == 0 {
        // A round that elected nobody fills no post: there is nothing to approve.
        return Ok(());
    }
    // The organisation as it stands on the day of sealing (a later move does not send the
    // task elsewhere; one dissolved since has nobody to ask).
    let org = tx
        .query_one(
            "SELECT parent_id, name FROM org_versions
             WHERE org_id = $1 AND valid_from <= $2 AND (valid_to IS NULL OR valid_to > $2)",
            params![election.org_id, on],
        )
        .await?;
    let Some(org) = org else { return Ok(()) };
    let Some(above) = org.opt_id::<OrgId>(0)? else { return Ok(()) };
    let task = NewTask {
        org_id: above,
        title: format!(
            "Chuẩn y kết quả bầu {} {} nhiệm kỳ {}",
            election.body.label().to_lowercase(),
            org.text(1)?,
            election.term.as_deref().unwrap_or("")
        ),
        detail: format!("{} (cuộc bầu cử số {}).", election.title, election.id),
        lead_org_id: above,
        support_org_ids: Vec::new(),
        support_body_ids: Vec::new(),
        lead_body_id: None,
        starts_on: None,
        due_on: None,
        recurrence: None,
        meeting_id: None,
        document_id: None,
    };
    let task_id = crate::tasks::create(tx, actor, task).await?;
    tx.execute("UPDATE elections SET approval_task_id = $2 WHERE id = $1", params![election.id, task_id]).await?;
    Ok(())
}

/// The committee above's decision, as it is recorded.
#[derive(Debug, Clone)]
pub struct ApprovalDecision {
    /// Annul the result (Điều 33) instead of approving it.
    pub annul: bool,
    /// The numbers on the ballot of the people elected it does not approve.
    pub refused: BTreeSet<u32>,
    pub reference: String,
    pub on: NaiveDate,
    pub note: String,
}

/// Records the committee above's decision on a final result: reports its task done and, for
/// an approval, makes the people approved the organisation's holders of the post for the term.
pub async fn approve(
    tx: &mut Tx,
    actor: &Actor,
    election: &Election,
    decision: &ApprovalDecision,
) -> Result<Approval, StoreError> {
    let election = &lock(tx, election.id).await?;
    if !election.body.is_approved_above() {
        return Err(StoreError::invalid("status", "Kết quả này không trình cấp trên chuẩn y"));
    }
    let (State::Sealed, Some(sealed_on)) = (election.status, election.sealed_on) else {
        return Err(StoreError::invalid("status", "Chỉ chuẩn y khi phiếu bầu đã được niêm phong"));
    };
    if decision.on < sealed_on {
        return Err(StoreError::invalid("decided_on", "Ngày quyết định không trước ngày niêm phong phiếu bầu"));
    }
    if decision.annul && !decision.refused.is_empty() {
        return Err(StoreError::invalid("refused", "Hủy kết quả thì không đánh dấu người không được chuẩn y"));
    }
    let reference = clean(&decision.reference);
    if reference.is_empty() || reference.chars().count() > 200 {
        return Err(StoreError::invalid("reference", "Ghi số quyết định chuẩn y (1–200 ký tự)"));
    }
    let note = clean(&decision.note);
    if note.chars().count() > 2000 || (decision.annul && note.is_empty()) {
        return Err(StoreError::invalid("note", "Ghi lý do (bắt buộc khi hủy kết quả), tối đa 2000 ký tự"));
    }
    let (_, outcome) = super::count::result_in(tx, election).await?.ok_or(StoreError::NotFound)?;
    let elected: BTreeSet<u32> = outcome.elected().collect();
    if elected.is_empty() && !decision.annul {
        return Err(StoreError::invalid("status", "Không có người trúng cử để chuẩn y"));
    }
    let event = if decision.annul {
        Decision::Annul
    } else {
        Decision::refusing(&elected, &decision.refused).map_err(|why| StoreError::invalid("refused", why))?
    };
    let next = election.approval.after(event).map_err(|why| StoreError::invalid("status", why))?;
    let refused: Vec<String> = decision.refused.iter().map(u32::to_string).collect();
    let changed = tx
        .execute(
            "UPDATE elections SET approval = $2, approval_reference = $3, approval_on = $4, approval_refused = $5,
                    approval_note = $6
             WHERE id = $1 AND approval = 'awaiting'",
            params![
                election.id,
                next.as_str(),
                reference.as_str(),
                decision.on,
                (!decision.annul).then(|| refused.join(",")),
                note.as_str()
            ],
        )
        .await?;
    if changed == 0 {
        return Err(StoreError::invalid("status", "Kết quả vừa được người khác cập nhật; hãy tải lại"));
    }
    if next.fills_posts() {
        let approved: Vec<u32> = elected.difference(&decision.refused).copied().collect();
        take_posts(tx, election, &approved, decision.on).await?;
    }
    if let Some(task_id) = election.approval_task_id {
        let open = tx
            .query_one(
                "SELECT 1 FROM tasks WHERE id = $1 AND done_on IS NULL AND cancelled_on IS NULL",
                params![task_id],
            )
            .await?;
        if open.is_some() {
            crate::tasks::report(tx, actor, task_id, 100, next.label(), true, decision.on).await?;
        }
    }
    audit::append(
        tx,
        actor,
        Change {
            action: Action::ElectionApproval,
            subject: Subject::election(election.id),
            before: Some(json!({"approval": election.approval.as_str()})),
            after: Some(json!({
                "approval": next.as_str(), "reference": reference, "on": decision.on,
                "refused": decision.refused, "note": note,
            })),
        },
    )
    .await?;
    Ok(next)
}

/// The people approved hold the post from `since`. The holders of another term step down
/// that day; so does a single post's holder of the same term (a new secretary replaces the
/// old), while a body elected in part within its term (bầu bổ sung) keeps its other members.
async fn take_posts(tx: &mut Tx, election: &Election, approved: &[u32], since: NaiveDate) -> Result<(), StoreError> {
    let term = election.term.clone().unwrap_or_default();
    // Terms are written `2025-2030`, which sorts as text in time order on both engines: a
    // late decision on an earlier term never ends a later term's holders.
    let same_term_ends = election.body.is_single_post();
    tx.execute(
        "UPDATE post_holders SET until = $4
         WHERE org_id = $1 AND post = $2 AND until IS NULL AND (term < $3 OR ($5 AND term = $3))",
        params![election.org_id, election.body.as_str(), term.as_str(), since, same_term_ends],
    )
    .await?;
    if election.body == Body::ExecutiveCommittee {
        // A new term's committee approved: every post of the terms before it ends (the new
        // committee elects its own standing board, secretary and inspection committee).
        tx.execute(
            "UPDATE post_holders SET until = $3 WHERE org_id = $1 AND until IS NULL AND term < $2",
            params![election.org_id, term.as_str(), since],
        )
        .await?;
    }
    for number in approved {
        let Some(c) = election.candidates.iter().find(|c| c.number == *number) else { continue };
        tx.execute(
            "INSERT INTO post_holders (org_id, post, term, member_id, full_name, election_id, since)
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
            params![
                election.org_id,
                election.body.as_str(),
                term.as_str(),
                c.member_id,
                c.full_name.as_str(),
                election.id,
                since
            ],
        )
        .await?;
    }
    Ok(())
}

/// Who holds a post of an organisation, as the approved results made them.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PostHolder {
    #[schema(value_type = String, example = "secretary")]
    pub post: Post,
    pub post_label: &'static str,
    /// The board a head of board heads.
    pub body_id: Option<i64>,
    pub term: String,
    #[schema(value_type = Option<i64>)]
    pub member_id: Option<MemberId>,
    pub full_name: String,
    pub election_id: Option<i64>,
    pub since: NaiveDate,
    /// The day the holder stepped down; `null` while in post.
    pub until: Option<NaiveDate>,
}

/// The holders of the organisation's posts: those in post now, or every holder ever when
/// `history`, in the order of the posts, then the latest first, then by name.
pub async fn post_holders(db: &Db, org_id: OrgId, history: bool) -> Result<Vec<PostHolder>, StoreError> {
    let rows = db
        .query(
            "SELECT post, term, member_id, full_name, election_id, since, until, body_id FROM post_holders
             WHERE org_id = $1 AND (until IS NULL OR $2) ORDER BY since DESC, id LIMIT 2000",
            params![org_id, history],
        )
        .await?;
    let mut holders = rows
        .iter()
        .map(|r| {
            let post = r.word(0, Post::parse)?;
            Ok(PostHolder {
                post,
                post_label: post.label(),
                body_id: r.opt_int(7)?,
                term: r.text(1)?,
                member_id: r.opt_id(2)?,
                full_name: r.text(3)?,
                election_id: r.opt_int(4)?,
                since: r.date(5)?,
                until: r.opt_date(6)?,
            })
        })
        .collect::<Result<Vec<_>, StoreError>>()?;
    holders.sort_by(|a, b| (a.post, b.since, &a.full_name).cmp(&(b.post, a.since, &b.full_name)));
    Ok(holders)
}
