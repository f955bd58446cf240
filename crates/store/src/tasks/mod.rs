//! Tasks: assigned to a lead unit with supporting units, followed by progress reports
//! until done, accepted or returned by the office that assigned them.

pub mod documents;
pub mod meetings;

use dangvu_domain::audit::Action;
use dangvu_domain::ids::OrgId;
use std::collections::BTreeMap;

use chrono::NaiveDate;
use dangvu_domain::orgs::tree;
pub use dangvu_domain::tasks::NewTask;
use dangvu_domain::tasks::{Recurrence, Review, TaskStatus};
use dangvu_domain::text::clean;
use dangvu_domain::validation::Problems;
use serde::Serialize;
use serde_json::json;
use utoipa::ToSchema;

use crate::audit::{self, Actor, Change, Subject};
use crate::db::columns;
use crate::{Db, Row, StoreError, Tx, Value, params};

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Task {
    pub id: i64,
    /// The organisation that assigned the task and follows it (its office).
    #[schema(value_type = i64)]
    pub org_id: OrgId,
    pub title: String,
    pub detail: String,
    #[schema(value_type = i64)]
    pub lead_org_id: OrgId,
    /// The body of `lead_org_id` that leads (a board, the office …), when the lead is a body.
    pub lead_body_id: Option<i64>,
    /// The lead unit's name: the body's when a body leads.
    pub lead_name: String,
    /// What the lead belongs to (an organisation's parent, a body's organisation): lists show
    /// it so that units of the same name are told apart.
    pub lead_parent_name: String,
    #[schema(value_type = Vec<i64>)]
    pub support_org_ids: Vec<OrgId>,
    /// Supporting bodies, beside the organisations.
    pub support_body_ids: Vec<i64>,
    /// The organisations of the supporting bodies: they see the task.
    #[serde(skip)]
    pub support_body_org_ids: Vec<OrgId>,
    pub meeting_id: Option<i64>,
    pub document_id: Option<i64>,
    pub starts_on: Option<NaiveDate>,
    pub due_on: Option<NaiveDate>,
    /// `monthly`, `quarterly`, `half_yearly` or `yearly` for a report duty.
    #[schema(value_type = Option<String>)]
    pub recurrence: Option<Recurrence>,
    /// 0–100, from the last report.
    pub progress: i64,
    pub done_on: Option<NaiveDate>,
    /// `none`, `pending` (done, awaiting the office), `accepted` or `returned`.
    #[schema(value_type = String)]
    pub review: Review,
    /// `open`, `overdue`, `done_on_time` or `done_late`, derived from the dates.
    #[schema(value_type = String)]
    pub status: TaskStatus,
    /// Set when the office cancelled the task: it then leaves every queue, count and report.
    pub cancelled_on: Option<NaiveDate>,
    pub cancel_reason: String,
}

columns! {
    /// The columns a row is read from, in one place.
    mod col {
        id: "t.id",
        org_id: "t.org_id",
        title: "t.title",
        detail: "t.detail",
        lead_org_id: "t.lead_org_id",
        lead_body_id: "t.lead_body_id",
        meeting_id: "t.meeting_id",
        document_id: "t.document_id",
        starts_on: "t.starts_on",
        due_on: "t.due_on",
        recurrence: "t.recurrence",
        progress: "t.progress",
        done_on: "t.done_on",
        review: "t.review",
        lead_name: "COALESCE((SELECT lb.name FROM bodies lb WHERE lb.id = t.lead_body_id),
                    (SELECT lv.name FROM org_versions lv WHERE lv.org_id = t.lead_org_id ORDER BY lv.valid_from DESC LIMIT 1))",
        lead_parent_name: "COALESCE((SELECT bv.name FROM bodies lb JOIN org_versions bv ON bv.org_id = lb.org_id
                    WHERE lb.id = t.lead_body_id ORDER BY bv.valid_from DESC LIMIT 1),
                    (SELECT pv.name FROM org_versions lv JOIN org_versions pv ON pv.org_id = lv.parent_id
                    WHERE lv.org_id = t.lead_org_id ORDER BY lv.valid_from DESC, pv.valid_from DESC LIMIT 1))",
        cancelled_on: "t.cancelled_on",
        cancel_reason: "t.cancel_reason",
    }
}

const COLUMNS: &str = col::SQL;

fn from_row(r: &Row, today: NaiveDate) -> Result<Task, StoreError> {
    let due_on = r.opt_date(col::due_on)?;
    let done_on = r.opt_date(col::done_on)?;
    Ok(Task {
        id: r.int(col::id)?,
        org_id: r.id(col::org_id)?,
        title: r.text(col::title)?,
        detail: r.text(col::detail)?,
        lead_org_id: r.id(col::lead_org_id)?,
        lead_body_id: r.opt_int(col::lead_body_id)?,
        meeting_id: r.opt_int(col::meeting_id)?,
        document_id: r.opt_int(col::document_id)?,
        starts_on: r.opt_date(col::starts_on)?,
        due_on,
        recurrence: r.opt_word(col::recurrence, Recurrence::parse)?,
        progress: r.int(col::progress)?,
        done_on,
        review: r.word(col::review, Review::parse)?,
        lead_name: r.opt_text(col::lead_name)?.unwrap_or_default(),
        lead_parent_name: r.opt_text(col::lead_parent_name)?.unwrap_or_default(),
        support_org_ids: Vec::new(),
        support_body_ids: Vec::new(),
        support_body_org_ids: Vec::new(),
        status: TaskStatus::of(due_on, done_on, today),
        cancelled_on: r.opt_date(col::cancelled_on)?,
        cancel_reason: r.text(col::cancel_reason)?,
    })
}

/// Fills in the supporting units of a page of tasks with one query.
async fn with_support(db: &Db, mut tasks: Vec<Task>) -> Result<Vec<Task>, StoreError> {
    if tasks.is_empty() {
        return Ok(tasks);
    }
    // Ids come from the rows just read, never from the request.
    let ids: Vec<String> = tasks.iter().map(|t| t.id.to_string()).collect();
    let sql = format!("SELECT task_id, org_id FROM task_support WHERE task_id IN ({}) ORDER BY org_id", ids.join(","));
    let mut support: BTreeMap<i64, Vec<OrgId>> = BTreeMap::new();
    for r in db.query(&sql, &[]).await? {
        support.entry(r.int(0)?).or_default().push(r.id(1)?);
    }
    let sql = format!(
        "SELECT s.task_id, s.body_id, b.org_id FROM task_support_bodies s JOIN bodies b ON b.id = s.body_id
         WHERE s.task_id IN ({}) ORDER BY s.body_id",
        ids.join(",")
    );
    let mut bodies: BTreeMap<i64, Vec<(i64, OrgId)>> = BTreeMap::new();
    for r in db.query(&sql, &[]).await? {
        bodies.entry(r.int(0)?).or_default().push((r.int(1)?, r.id(2)?));
    }
    for t in &mut tasks {
        t.support_org_ids = support.remove(&t.id).unwrap_or_default();
        let (body_ids, orgs) = bodies.remove(&t.id).unwrap_or_default().into_iter().unzip();
        t.support_body_ids = body_ids;
        t.support_body_org_ids = orgs;
    }
    Ok(tasks)
}

pub async fn get(db: &Db, id: i64, today: NaiveDate) -> Result<Option<Task>, StoreError> {
    let sql = format!("SELECT {COLUMNS} FROM tasks t WHERE t.id = $1");
    let Some(row) = db.query_one(&sql, params![id]).await? else { return Ok(None) };
    Ok(with_support(db, vec![from_row(&row, today)?]).await?.pop())
}

/// Replaces the supporting bodies of a task; answers them sorted, once each.
async fn set_support_bodies(tx: &mut Tx, task_id: i64, body_ids: &[i64]) -> Result<Vec<i64>, StoreError> {
    let mut bodies = body_ids.to_vec();
    bodies.sort_unstable();
    bodies.dedup();
    tx.execute("DELETE FROM task_support_bodies WHERE task_id = $1", params![task_id]).await?;
    for body in &bodies {
        tx.execute("INSERT INTO task_support_bodies (task_id, body_id) VALUES ($1, $2)", params![task_id, *body])
            .await?;
    }
    Ok(bodies)
}

/// A lead body must belong to the lead organisation.
async fn check_lead_body(tx: &mut Tx, new: &NewTask, problems: &mut Problems) -> Result<(), StoreError> {
    if let Some(body) = new.lead_body_id {
        let row = tx.query_one("SELECT org_id FROM bodies WHERE id = $1", params![body]).await?;
        let org: Option<OrgId> = row.map(|r| r.id(0)).transpose()?;
        match org {
            None => problems.add("lead_body_id", "Không có cơ quan này"),
            Some(org) if org != new.lead_org_id => {
                problems.add("lead_body_id", "Cơ quan chủ trì không thuộc tổ chức chủ trì")
            }
            Some(_) => {}
        }
    }
    Ok(())
}

pub async fn create(tx: &mut Tx, actor: &Actor, new: NewTask) -> Result<i64, StoreError> {
    let title = clean(&new.title);
    let mut problems = Problems::new();
    new.check(&title, &mut problems);
    check_lead_body(tx, &new, &mut problems).await?;
    if let Some(m) = new.meeting_id
        && tx.query_one("SELECT 1 FROM meetings WHERE id = $1", params![m]).await?.is_none()
    {
        problems.add("meeting_id", "Không có cuộc họp này");
    }
    if let Some(d) = new.document_id
        && tx.query_one("SELECT 1 FROM documents WHERE id = $1", params![d]).await?.is_none()
    {
        problems.add("document_id", "Không có văn bản này");
    }
    problems.finish().map_err(StoreError::Invalid)?;
    let id = tx
        .query_one(
            "INSERT INTO tasks (org_id, title, detail, lead_org_id, meeting_id, document_id, starts_on, due_on, recurrence, created_by, created_at, lead_body_id)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id",
            params![
                new.org_id,
                title.as_str(),
                dangvu_domain::text::nfc(new.detail.trim()),
                new.lead_org_id,
                new.meeting_id,
                new.document_id,
                new.starts_on,
                new.due_on,
                new.recurrence.as_deref(),
                actor.id,
                crate::now_micros(),
                new.lead_body_id
            ],
        )
        .await?
        .ok_or(StoreError::NotFound)?
        .int(0)?;
    let mut support = new.support_org_ids.clone();
    support.sort_unstable();
    support.dedup();
    for org in &support {
        tx.execute("INSERT INTO task_support (task_id, org_id) VALUES ($1, $2)", params![id, *org]).await?;
    }
    let support_bodies = set_support_bodies(tx, id, &new.support_body_ids).await?;
    audit::append(
        tx,
        actor,
        Change {
            action: Action::TaskCreate,
            subject: Subject::task(id),
            before: None,
            after: Some(json!({"title": title, "org_id": new.org_id, "lead_org_id": new.lead_org_id,
                               "lead_body_id": new.lead_body_id, "support_org_ids": support,
                               "support_body_ids": support_bodies, "due_on": new.due_on, "recurrence": new.recurrence,
                               "meeting_id": new.meeting_id, "document_id": new.document_id})),
        },
    )
    .await?;
    Ok(id)
}

/// The office edits an unfinished task: wording, units, dates. Extending a deadline
/// needs a reason, kept in the audit log with the old and new values.
pub async fn update(tx: &mut Tx, actor: &Actor, id: i64, edit: NewTask, reason: &str) -> Result<(), StoreError> {
    let before = tx
        .query_one(
            "SELECT title, detail, lead_org_id, starts_on, due_on, recurrence, done_on, cancelled_on, lead_body_id
             FROM tasks WHERE id = $1",
            params![id],
        )
        .await?
        .ok_or(StoreError::NotFound)?;
    if before.opt_date(7)?.is_some() {
        return Err(StoreError::invalid("task", "Nhiệm vụ đã hủy, không sửa được"));
    }
    if before.opt_date(6)?.is_some() {
        return Err(StoreError::invalid("task", "Nhiệm vụ đã báo cáo hoàn thành; hãy trả lại trước khi sửa"));
    }
    let title = clean(&edit.title);
    let mut problems = Problems::new();
    edit.check(&title, &mut problems);
    check_lead_body(tx, &edit, &mut problems).await?;
    let old_due = before.opt_date(4)?;
    if old_due != edit.due_on && reason.trim().is_empty() {
        problems.add("reason", "Hãy ghi lý do đổi hạn hoàn thành");
    }
    if reason.len() > 2000 {
        problems.add("reason", "Lý do quá dài");
    }
    problems.finish().map_err(StoreError::Invalid)?;
    let old_support: Vec<OrgId> = tx
        .query("SELECT org_id FROM task_support WHERE task_id = $1 ORDER BY org_id", params![id])
        .await?
        .iter()
        .map(|r| r.id(0))
        .collect::<Result<_, _>>()?;
    tx.execute(
        "UPDATE tasks SET title = $2, detail = $3, lead_org_id = $4, starts_on = $5, due_on = $6, recurrence = $7,
           lead_body_id = $8
         WHERE id = $1",
        params![
            id,
            title.as_str(),
            dangvu_domain::text::nfc(edit.detail.trim()),
            edit.lead_org_id,
            edit.starts_on,
            edit.due_on,
            edit.recurrence.as_deref(),
            edit.lead_body_id
        ],
    )
    .await?;
    let old_bodies: Vec<i64> = tx
        .query("SELECT body_id FROM task_support_bodies WHERE task_id = $1 ORDER BY body_id", params![id])
        .await?
        .iter()
        .map(|r| r.int(0))
        .collect::<Result<_, _>>()?;
    let support_bodies = set_support_bodies(tx, id, &edit.support_body_ids).await?;
    let mut support = edit.support_org_ids.clone();
    support.sort_unstable();
    support.dedup();
    if support != old_support {
        tx.execute("DELETE FROM task_support WHERE task_id = $1", params![id]).await?;
        for org in &support {
            tx.execute("INSERT INTO task_support (task_id, org_id) VALUES ($1, $2)", params![id, *org]).await?;
        }
    }
    audit::append(
        tx,
        actor,
        Change {
            action: Action::TaskUpdate,
            subject: Subject::task(id),
            before: Some(json!({"title": before.text(0)?, "lead_org_id": before.int(2)?,
                                "lead_body_id": before.opt_int(8)?, "support_org_ids": old_support,
                                "support_body_ids": old_bodies,
                                "starts_on": before.opt_date(3)?, "due_on": old_due, "recurrence": before.opt_text(5)?})),
            after: Some(json!({"title": title, "lead_org_id": edit.lead_org_id, "lead_body_id": edit.lead_body_id,
                               "support_org_ids": support, "support_body_ids": support_bodies,
                               "starts_on": edit.starts_on, "due_on": edit.due_on, "recurrence": edit.recurrence,
                               "reason": reason.trim()})),
        },
    )
    .await?;
    Ok(())
}

/// The office cancels a task that is no longer needed; the reason is required and kept.
pub async fn cancel(tx: &mut Tx, actor: &Actor, id: i64, reason: &str, on: NaiveDate) -> Result<(), StoreError> {
    let reason = clean(reason);
    if reason.is_empty() || reason.chars().count() > 2000 {
        return Err(StoreError::invalid("reason", "Hãy ghi lý do hủy nhiệm vụ (tối đa 2000 ký tự)"));
    }
    let row = tx
        .query_one("SELECT done_on, cancelled_on, review FROM tasks WHERE id = $1", params![id])
        .await?
        .ok_or(StoreError::NotFound)?;
    if row.opt_date(1)?.is_some() {
        return Err(StoreError::invalid("task", "Nhiệm vụ đã hủy"));
    }
    if row.opt_date(0)?.is_some() && row.word(2, Review::parse)? == Review::Accepted {
        return Err(StoreError::invalid("task", "Nhiệm vụ đã hoàn thành và được chấp nhận, không hủy được"));
    }
    tx.execute(
        "UPDATE tasks SET cancelled_on = $2, cancel_reason = $3 WHERE id = $1",
        params![id, on, reason.as_str()],
    )
    .await?;
    audit::append(
        tx,
        actor,
        Change {
            action: Action::TaskCancel,
            subject: Subject::task(id),
            before: None,
            after: Some(json!({"cancelled_on": on, "reason": reason})),
        },
    )
    .await?;
    Ok(())
}

/// One progress report of the lead unit, or the office's review.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Report {
    pub id: i64,
    pub task_id: i64,
    /// `progress`, `accepted` or `returned`.
    pub kind: String,
    pub progress: i64,
    pub note: String,
    pub done: bool,
    pub reported_on: NaiveDate,
    pub reported_by: Option<String>,
}

pub async fn reports(db: &Db, task_id: i64) -> Result<Vec<Report>, StoreError> {
    let rows = db
        .query(
            "SELECT r.id, r.task_id, r.kind, r.progress, r.note, r.done, r.reported_on, u.username
             FROM task_reports r LEFT JOIN users u ON u.id = r.reported_by WHERE r.task_id = $1 ORDER BY r.id",
            params![task_id],
        )
        .await?;
    rows.iter()
        .map(|r| {
            Ok(Report {
                id: r.int(0)?,
                task_id: r.int(1)?,
                kind: r.text(2)?,
                progress: r.int(3)?,
                note: r.text(4)?,
                done: r.bool(5)?,
                reported_on: r.date(6)?,
                reported_by: r.opt_text(7)?,
            })
        })
        .collect()
}

/// The lead unit reports progress; `done` marks the task (or this period of a report
/// duty) done on `on`, awaiting the office's acceptance.
pub async fn report(
    tx: &mut Tx,
    actor: &Actor,
    task_id: i64,
    progress: i64,
    note: &str,
    done: bool,
    on: NaiveDate,
) -> Result<i64, StoreError> {
    let mut problems = Problems::new();
    if !(0..=100).contains(&progress) {
        problems.add("progress", "Tiến độ từ 0 đến 100 (%)");
    }
    if note.len() > 20_000 {
        problems.add("note", "Ghi chú quá dài");
    }
    problems.finish().map_err(StoreError::Invalid)?;
    let row = tx
        .query_one(
            "SELECT done_on, due_on, recurrence, progress, cancelled_on FROM tasks WHERE id = $1",
            params![task_id],
        )
        .await?
        .ok_or(StoreError::NotFound)?;
    let (done_on, due_on, recurrence) = (row.opt_date(0)?, row.opt_date(1)?, row.opt_text(2)?);
    if row.opt_date(4)?.is_some() {
        return Err(StoreError::invalid("task", "Nhiệm vụ đã hủy"));
    }
    if done_on.is_some() {
        return Err(StoreError::invalid("done", "Nhiệm vụ đã báo cáo hoàn thành; chờ Văn phòng xem xét"));
    }
    let progress = if done { 100 } else { progress };
    let id = tx
        .query_one(
            "INSERT INTO task_reports (task_id, kind, progress, note, done, reported_on, reported_by, reported_at)
             VALUES ($1, 'progress', $2, $3, $4, $5, $6, $7) RETURNING id",
            params![task_id, progress, dangvu_domain::text::nfc(note.trim()), done, on, actor.id, crate::now_micros()],
        )
        .await?
        .ok_or(StoreError::NotFound)?
        .int(0)?;
    match (done, recurrence.as_deref().and_then(Recurrence::parse), due_on) {
        // A report duty: this period is done, the next one starts with its own deadline.
        (true, Some(r), Some(due)) => {
            tx.execute(
                "UPDATE tasks SET due_on = $2, progress = 0, review = $3 WHERE id = $1",
                params![task_id, r.next_due(due), Review::None.as_str()],
            )
            .await?;
        }
        (true, _, _) => {
            tx.execute(
                "UPDATE tasks SET done_on = $2, progress = 100, review = $3 WHERE id = $1",
                params![task_id, on, Review::Pending.as_str()],
            )
            .await?;
        }
        (false, _, _) => {
            tx.execute("UPDATE tasks SET progress = $2 WHERE id = $1", params![task_id, progress]).await?;
        }
    }
    audit::append(
        tx,
        actor,
        Change {
            action: Action::TaskReport,
            subject: Subject::task(task_id),
            before: Some(json!({"progress": row.int(3)?, "due_on": due_on})),
            after: Some(json!({"progress": progress, "done": done, "reported_on": on, "note": note})),
        },
    )
    .await?;
    Ok(id)
}

/// The office accepts a task reported done, or returns it: it is open again.
pub async fn review(
    tx: &mut Tx,
    actor: &Actor,
    task_id: i64,
    accept: bool,
    note: &str,
    on: NaiveDate,
) -> Result<(), StoreError> {
    let row = tx
        .query_one("SELECT done_on, review, progress FROM tasks WHERE id = $1", params![task_id])
        .await?
        .ok_or(StoreError::NotFound)?;
    if row.opt_date(0)?.is_none() || row.word(1, Review::parse)? != Review::Pending {
        return Err(StoreError::invalid("review", "Chỉ xem xét được nhiệm vụ đã báo cáo hoàn thành"));
    }
    if !accept && note.trim().is_empty() {
        return Err(StoreError::invalid("note", "Hãy ghi lý do trả lại"));
    }
    let review = if accept { Review::Accepted } else { Review::Returned };
    let kind = review.as_str();
    tx.execute(
        "INSERT INTO task_reports (task_id, kind, progress, note, done, reported_on, reported_by, reported_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        params![
            task_id,
            kind,
            row.int(2)?,
            dangvu_domain::text::nfc(note.trim()),
            accept,
            on,
            actor.id,
            crate::now_micros()
        ],
    )
    .await?;
    if accept {
        tx.execute("UPDATE tasks SET review = $2 WHERE id = $1", params![task_id, kind]).await?;
    } else {
        tx.execute("UPDATE tasks SET review = $2, done_on = NULL WHERE id = $1", params![task_id, kind]).await?;
    }
    audit::append(
        tx,
        actor,
        Change {
            action: if accept { Action::TaskAccept } else { Action::TaskReturn },
            subject: Subject::task(task_id),
            before: Some(json!({"review": Review::Pending})),
            after: Some(json!({"review": kind, "note": note})),
        },
    )
    .await?;
    Ok(())
}

/// Ids of the tasks that units of the subtree lead or support.
const SUBTREE_TASKS: &str = "SELECT t0.id FROM tasks t0 JOIN org_versions v ON v.org_id = t0.lead_org_id
       AND v.valid_from <= $3 AND (v.valid_to IS NULL OR v.valid_to > $3)
     WHERE v.path >= $1 AND v.path < $2 AND t0.cancelled_on IS NULL
     UNION
     SELECT s.task_id FROM task_support s JOIN org_versions v ON v.org_id = s.org_id
       AND v.valid_from <= $3 AND (v.valid_to IS NULL OR v.valid_to > $3)
     JOIN tasks t1 ON t1.id = s.task_id AND t1.cancelled_on IS NULL
     WHERE v.path >= $1 AND v.path < $2
     UNION
     SELECT sb.task_id FROM task_support_bodies sb JOIN bodies b ON b.id = sb.body_id
     JOIN org_versions v ON v.org_id = b.org_id
       AND v.valid_from <= $3 AND (v.valid_to IS NULL OR v.valid_to > $3)
     JOIN tasks t2 ON t2.id = sb.task_id AND t2.cancelled_on IS NULL
     WHERE v.path >= $1 AND v.path < $2";

/// The same, unfinished tasks only: both branches filter before the union, so that a
/// big committee's queue reads its open work through `tasks_open_by_lead` and
/// `tasks_open` instead of its whole history.
const SUBTREE_OPEN_TASKS: &str = "SELECT t0.id FROM tasks t0 JOIN org_versions v ON v.org_id = t0.lead_org_id
       AND v.valid_from <= $3 AND (v.valid_to IS NULL OR v.valid_to > $3)
     WHERE v.path >= $1 AND v.path < $2 AND t0.done_on IS NULL AND t0.cancelled_on IS NULL
     UNION
     SELECT s.task_id FROM task_support s JOIN org_versions v ON v.org_id = s.org_id
       AND v.valid_from <= $3 AND (v.valid_to IS NULL OR v.valid_to > $3)
     JOIN tasks t1 ON t1.id = s.task_id AND t1.done_on IS NULL AND t1.cancelled_on IS NULL
     WHERE v.path >= $1 AND v.path < $2
     UNION
     SELECT sb.task_id FROM task_support_bodies sb JOIN bodies b ON b.id = sb.body_id
     JOIN org_versions v ON v.org_id = b.org_id
       AND v.valid_from <= $3 AND (v.valid_to IS NULL OR v.valid_to > $3)
     JOIN tasks t2 ON t2.id = sb.task_id AND t2.done_on IS NULL AND t2.cancelled_on IS NULL
     WHERE v.path >= $1 AND v.path < $2";

/// What a list of tasks is narrowed to; every field left empty narrows nothing.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    pub status: Option<TaskStatus>,
    /// Where the assigning office's review stands. `Pending` also lists what the subtree
    /// assigned and waits for its own acceptance, wherever the units that did the work are.
    pub review: Option<Review>,
    /// Only what this body leads or supports.
    pub body_id: Option<i64>,
    /// Only those reported done (`true`) or not (`false`).
    pub done: Option<bool>,
    /// Words of the title, as typed.
    pub text: String,
    /// A deadline in `[due_from, due_to]`.
    pub due_from: Option<NaiveDate>,
    pub due_to: Option<NaiveDate>,
}

/// The tasks the subtree assigned that wait for its review.
const ASSIGNED_PENDING: &str = "SELECT ta.id FROM tasks ta JOIN org_versions v ON v.org_id = ta.org_id
       AND v.valid_from <= $3 AND (v.valid_to IS NULL OR v.valid_to > $3)
     WHERE v.path >= $1 AND v.path < $2 AND ta.review = 'pending' AND ta.cancelled_on IS NULL";

/// Tasks the subtree at `path` leads or supports, by id, narrowed by `filter`.
pub async fn in_subtree(
    db: &Db,
    path: &str,
    today: NaiveDate,
    filter: &Filter,
    after_id: i64,
    limit: i64,
) -> Result<Vec<Task>, StoreError> {
    let ids = if filter.review == Some(Review::Pending) {
        format!("{SUBTREE_TASKS} UNION {ASSIGNED_PENDING}")
    } else {
        SUBTREE_TASKS.to_owned()
    };
    let text = filter.text.trim();
    let pattern = if text.is_empty() {
        String::new()
    } else {
        format!("%{}%", dangvu_domain::text::nfc(text).to_lowercase().replace(['%', '_'], ""))
    };
    let sql = format!(
        "SELECT {COLUMNS} FROM tasks t WHERE t.id IN ({ids}) AND t.id > $4 AND ($5 = '' OR {status} = $5)
           AND ($6 = '' OR t.review = $6)
           AND ($7 = 0 OR t.lead_body_id = $7
                OR EXISTS (SELECT 1 FROM task_support_bodies sb WHERE sb.task_id = t.id AND sb.body_id = $7))
           AND ($8 = '' OR LOWER(t.title) LIKE $8)
           AND ($9 = 0 OR t.due_on >= $10) AND ($11 = 0 OR t.due_on <= $12)
           AND ($13 = 0 OR ($13 = 1 AND t.done_on IS NOT NULL) OR ($13 = 2 AND t.done_on IS NULL))
         ORDER BY t.id LIMIT $14",
        status = TaskStatus::sql_case(3)
    );
    // Dates are typed on PostgreSQL: an absent bound is a flag beside a placeholder date.
    let bound = |d: Option<NaiveDate>| (i64::from(d.is_some()), d.unwrap_or(today));
    let ((has_from, from), (has_to, to)) = (bound(filter.due_from), bound(filter.due_to));
    let params: Vec<Value> = vec![
        path.into(),
        tree::subtree_end(path).into(),
        today.into(),
        after_id.into(),
        filter.status.map(|s| s.as_str()).unwrap_or("").into(),
        filter.review.map(|r| r.as_str()).unwrap_or("").into(),
        filter.body_id.unwrap_or(0).into(),
        pattern.into(),
        has_from.into(),
        from.into(),
        has_to.into(),
        to.into(),
        (match filter.done {
            None => 0,
            Some(true) => 1,
            Some(false) => 2,
        })
        .into(),
        limit.into(),
    ];
    let rows = db.query(&sql, &params).await?;
    let tasks = rows.iter().map(|r| from_row(r, today)).collect::<Result<Vec<_>, _>>()?;
    with_support(db, tasks).await
}

/// How many results the subtree's offices have to accept or return.
pub async fn pending_review_count(db: &Db, path: &str, today: NaiveDate) -> Result<i64, StoreError> {
    let sql = format!("SELECT COUNT(*) FROM ({ASSIGNED_PENDING}) p");
    let row = db.query_one(&sql, params![path, tree::subtree_end(path), today]).await?;
    row.map(|r| r.int(0)).transpose().map(|n| n.unwrap_or(0))
}

/// A unit's queue: what it leads or supports and has not finished, most urgent first
/// (late ones by how late, then by deadline, those without a deadline last).
pub async fn queue(db: &Db, path: &str, today: NaiveDate, limit: i64) -> Result<Vec<Task>, StoreError> {
    let sql = format!(
        "SELECT {COLUMNS} FROM tasks t WHERE t.id IN ({SUBTREE_OPEN_TASKS}) AND t.done_on IS NULL
           AND t.cancelled_on IS NULL
         ORDER BY CASE WHEN t.due_on IS NULL THEN 1 ELSE 0 END, t.due_on, t.id LIMIT $4"
    );
    let rows = db.query(&sql, params![path, tree::subtree_end(path), today, limit]).await?;
    let tasks = rows.iter().map(|r| from_row(r, today)).collect::<Result<Vec<_>, _>>()?;
    with_support(db, tasks).await
}

/// Tasks of a meeting, in the order they were created.
pub async fn of_meeting(db: &Db, meeting_id: i64, today: NaiveDate) -> Result<Vec<Task>, StoreError> {
    let sql = format!("SELECT {COLUMNS} FROM tasks t WHERE t.meeting_id = $1 ORDER BY t.id");
    let rows = db.query(&sql, params![meeting_id]).await?;
    let tasks = rows.iter().map(|r| from_row(r, today)).collect::<Result<Vec<_>, _>>()?;
    with_support(db, tasks).await
}

/// Tasks assigned under a document, in the order they were created.
pub async fn of_document(db: &Db, document_id: i64, today: NaiveDate) -> Result<Vec<Task>, StoreError> {
    let sql = format!("SELECT {COLUMNS} FROM tasks t WHERE t.document_id = $1 ORDER BY t.id LIMIT 500");
    let rows = db.query(&sql, params![document_id]).await?;
    let tasks = rows.iter().map(|r| from_row(r, today)).collect::<Result<Vec<_>, _>>()?;
    with_support(db, tasks).await
}

#[derive(Debug, Clone, Default, Serialize, ToSchema)]
pub struct Counts {
    pub total: i64,
    pub open: i64,
    pub overdue: i64,
    pub done_on_time: i64,
    pub done_late: i64,
}

impl Counts {
    fn add(&mut self, status: &str, n: i64) {
        self.total += n;
        match status {
            "open" => self.open += n,
            "overdue" => self.overdue += n,
            "done_on_time" => self.done_on_time += n,
            _ => self.done_late += n,
        }
    }
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct OrgCounts {
    #[schema(value_type = i64)]
    pub org_id: OrgId,
    pub name: String,
    #[serde(flatten)]
    pub counts: Counts,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Summary {
    #[serde(flatten)]
    pub counts: Counts,
    /// Beside the period's own: the tasks whose deadline fell before it and that were still not
    /// done when it began (carried over), by their status today.
    pub carried_over: Counts,
    /// By lead unit, the units with the most late tasks first; at most [`BY_ORG_LIMIT`].
    pub by_org: Vec<OrgCounts>,
    /// How many lead units there are in all (more than `by_org` holds at a national root).
    pub by_org_total: i64,
}

/// The most units a summary lists: a national root has tens of thousands, and the
/// useful ones are those with late tasks, which come first.
pub const BY_ORG_LIMIT: usize = 500;

/// The tasks of a period: led in the subtree at `$1`/`$2` (versions on `$3`), with a
/// deadline in `[$4, $5]`, or none and not done or done in it.
const LED_IN_PERIOD: &str = "FROM tasks t
     JOIN org_versions v ON v.org_id = t.lead_org_id AND v.valid_from <= $3 AND (v.valid_to IS NULL OR v.valid_to > $3)
     WHERE v.path >= $1 AND v.path < $2 AND t.cancelled_on IS NULL
       AND ((t.due_on >= $4 AND t.due_on <= $5)
            OR (t.due_on IS NULL AND (t.done_on IS NULL OR (t.done_on >= $4 AND t.done_on <= $5))))";

/// The tasks carried into a period: led in the subtree, with a deadline before `$4` and not
/// done when the period began (done in it, or not yet). Late work of earlier years stays in
/// this year's figures and report, beside the period's own.
const CARRIED_INTO_PERIOD: &str = "FROM tasks t
     JOIN org_versions v ON v.org_id = t.lead_org_id AND v.valid_from <= $3 AND (v.valid_to IS NULL OR v.valid_to > $3)
     WHERE v.path >= $1 AND v.path < $2 AND t.cancelled_on IS NULL
       AND t.due_on < $4 AND (t.done_on IS NULL OR t.done_on >= $4) AND $5 >= $4";

/// Counts of the tasks led in the subtree whose deadline falls in `[from, to]` (tasks
/// without a deadline count while not done, or when done in the period), by status on
/// `today`, in total and by lead unit.
pub async fn summary(
    db: &Db,
    path: &str,
    today: NaiveDate,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Summary, StoreError> {
    let sql = format!(
        "SELECT t.lead_org_id, v.name, {status} AS status, COUNT(*) {LED_IN_PERIOD}
         GROUP BY t.lead_org_id, v.name, {status}",
        status = TaskStatus::sql_case(3)
    );
    let params: Vec<Value> = vec![path.into(), tree::subtree_end(path).into(), today.into(), from.into(), to.into()];
    let mut total = Counts::default();
    let mut by_org: BTreeMap<OrgId, OrgCounts> = BTreeMap::new();
    let carried_sql = format!(
        "SELECT {status} AS status, COUNT(*) {CARRIED_INTO_PERIOD} GROUP BY {status}",
        status = TaskStatus::sql_case(3)
    );
    let mut carried_over = Counts::default();
    for r in db.query(&carried_sql, &params).await? {
        carried_over.add(&r.text(0)?, r.int(1)?);
    }
    for r in db.query(&sql, &params).await? {
        let (org_id, status, n) = (r.id(0)?, r.text(2)?, r.int(3)?);
        total.add(&status, n);
        let name = r.text(1)?;
        by_org
            .entry(org_id)
            .or_insert_with(|| OrgCounts { org_id, name, counts: Counts::default() })
            .counts
            .add(&status, n);
    }
    let mut by_org: Vec<OrgCounts> = by_org.into_values().collect();
    by_org.sort_by(|a, b| {
        (b.counts.overdue + b.counts.done_late, b.counts.total)
            .cmp(&(a.counts.overdue + a.counts.done_late, a.counts.total))
    });
    let by_org_total = by_org.len() as i64;
    by_org.truncate(BY_ORG_LIMIT);
    Ok(Summary { counts: total, carried_over, by_org, by_org_total })
}

/// Tasks whose deadline fell in each month of `[from, to]`, with how many were late.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct MonthTrend {
    /// `YYYY-MM`.
    pub month: String,
    pub due: i64,
    pub late: i64,
}

pub async fn trend(
    db: &Db,
    path: &str,
    today: NaiveDate,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Vec<MonthTrend>, StoreError> {
    let sql = format!(
        "SELECT t.due_on, {status}, COUNT(*) FROM tasks t
         JOIN org_versions v ON v.org_id = t.lead_org_id AND v.valid_from <= $3 AND (v.valid_to IS NULL OR v.valid_to > $3)
         WHERE v.path >= $1 AND v.path < $2 AND t.due_on >= $4 AND t.due_on <= $5 AND t.cancelled_on IS NULL
         GROUP BY t.due_on, {status}",
        status = TaskStatus::sql_case(3)
    );
    let mut months: BTreeMap<String, (i64, i64)> = BTreeMap::new();
    let params: Vec<Value> = vec![path.into(), tree::subtree_end(path).into(), today.into(), from.into(), to.into()];
    for r in db.query(&sql, &params).await? {
        let month = r.date(0)?.format("%Y-%m").to_string();
        let late = matches!(r.text(1)?.as_str(), "overdue" | "done_late");
        let n = r.int(2)?;
        let e = months.entry(month).or_default();
        e.0 += n;
        if late {
            e.1 += n;
        }
    }
    Ok(months.into_iter().map(|(month, (due, late))| MonthTrend { month, due, late }).collect())
}

/// What a unit is reminded of: deadlines within `days` days, and those missed today.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Reminders {
    pub days: i64,
    pub due_soon: Vec<Task>,
    /// Deadline yesterday, not done: late from today.
    pub missed_today: Vec<Task>,
}

pub async fn reminders(db: &Db, path: &str, today: NaiveDate, days: i64) -> Result<Reminders, StoreError> {
    let sql = format!(
        "SELECT {COLUMNS} FROM tasks t WHERE t.id IN ({SUBTREE_OPEN_TASKS}) AND t.done_on IS NULL
           AND t.cancelled_on IS NULL AND t.due_on >= $4 AND t.due_on <= $5
         ORDER BY t.due_on, t.id LIMIT 200"
    );
    let end = tree::subtree_end(path);
    let until = today + chrono::Days::new(days.max(0) as u64);
    let yesterday = today.pred_opt().unwrap_or(today);
    let soon = db.query(&sql, params![path, end.as_str(), today, today, until]).await?;
    let missed = db.query(&sql, params![path, end.as_str(), today, yesterday, yesterday]).await?;
    let due_soon = soon.iter().map(|r| from_row(r, today)).collect::<Result<Vec<_>, _>>()?;
    let missed_today = missed.iter().map(|r| from_row(r, today)).collect::<Result<Vec<_>, _>>()?;
    Ok(Reminders {
        days,
        due_soon: with_support(db, due_soon).await?,
        missed_today: with_support(db, missed_today).await?,
    })
}

/// The tasks carried into a period (see [`Summary::carried_over`]), the oldest deadline first.
/// At most `limit`.
pub async fn carried_into(
    db: &Db,
    path: &str,
    today: NaiveDate,
    from: NaiveDate,
    to: NaiveDate,
    limit: i64,
) -> Result<Vec<Task>, StoreError> {
    let sql = format!("SELECT {COLUMNS} {CARRIED_INTO_PERIOD} ORDER BY t.due_on, t.id LIMIT $6");
    listed_for_period(db, &sql, path, today, from, to, limit).await
}

/// The tasks a period's report lists: led in the subtree, with a deadline in the period
/// (or none, and not done or done in it), by deadline. At most `limit`.
pub async fn of_period(
    db: &Db,
    path: &str,
    today: NaiveDate,
    from: NaiveDate,
    to: NaiveDate,
    limit: i64,
) -> Result<Vec<Task>, StoreError> {
    let sql = format!(
        "SELECT {COLUMNS} {LED_IN_PERIOD}
         ORDER BY CASE WHEN t.due_on IS NULL THEN 1 ELSE 0 END, t.due_on, t.id LIMIT $6"
    );
    listed_for_period(db, &sql, path, today, from, to, limit).await
}

/// Runs one of the period's lists: `$1`/`$2` the subtree, `$3` today, `$4`/`$5` the period,
/// `$6` the limit.
async fn listed_for_period(
    db: &Db,
    sql: &str,
    path: &str,
    today: NaiveDate,
    from: NaiveDate,
    to: NaiveDate,
    limit: i64,
) -> Result<Vec<Task>, StoreError> {
    let params: Vec<Value> =
        vec![path.into(), tree::subtree_end(path).into(), today.into(), from.into(), to.into(), limit.into()];
    let rows = db.query(sql, &params).await?;
    rows.iter().map(|r| from_row(r, today)).collect()
}
