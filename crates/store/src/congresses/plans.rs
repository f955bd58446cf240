//! The plan of a congress cycle pushed down by a committee, the milestones each congress gets as
//! tasks, and where the organisations of a subtree stand in the cycle on a day.

use chrono::NaiveDate;
use dangvu_domain::audit::Action;
use dangvu_domain::congresses::plan::{check_kinds, check_steps, default_steps};
use dangvu_domain::congresses::{CongressKind, Milestone, Standing, Step, Term, standing};
use dangvu_domain::ids::OrgId;
use dangvu_domain::orgs::OrgKind;
use dangvu_domain::orgs::tree::{ids, subtree_end};
use dangvu_domain::tasks::NewTask;
use dangvu_domain::validation::Problems;
use serde::Serialize;
use serde_json::json;
use utoipa::ToSchema;

use crate::audit::{self, Actor, Change, Subject};
use crate::db::Value;
use crate::{Db, Row, StoreError, Tx, params};

/// A committee's plan for the congresses of a term below it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Plan {
    pub id: i64,
    /// The committee that pushed it; it covers the organisations strictly below.
    #[schema(value_type = i64)]
    pub org_id: OrgId,
    pub term: String,
    /// The kinds of organisation that hold their congress under it.
    #[schema(value_type = Vec<String>)]
    pub kinds: Vec<OrgKind>,
    /// Congresses are held (opened) by this day.
    pub held_by: NaiveDate,
    pub milestones: Vec<Step>,
}

const PLAN_SQL: &str = "SELECT id, org_id, term, kinds, held_by, milestones FROM congress_plans";

fn plan_of(r: &Row) -> Result<Plan, StoreError> {
    let kinds = r
        .text(3)?
        .split(',')
        .map(|k| OrgKind::parse(k).ok_or_else(|| StoreError::Decode(format!("org kind {k}"))))
        .collect::<Result<_, _>>()?;
    Ok(Plan {
        id: r.int(0)?,
        org_id: r.id(1)?,
        term: r.text(2)?,
        kinds,
        held_by: r.date(4)?,
        milestones: serde_json::from_str(&r.text(5)?).map_err(|e| StoreError::Decode(e.to_string()))?,
    })
}

/// A plan as a committee pushes it.
#[derive(Debug, Clone)]
pub struct NewPlan {
    pub org_id: OrgId,
    pub term: String,
    pub kinds: Vec<OrgKind>,
    pub held_by: NaiveDate,
    /// None: the usual calendar ([`default_steps`]).
    pub milestones: Option<Vec<Step>>,
}

/// Writes a plan; a committee has one plan a term for each kind of organisation.
pub async fn push_plan(tx: &mut Tx, actor: &Actor, new: &NewPlan) -> Result<i64, StoreError> {
    let mut problems = Problems::new();
    let term = Term::parse(&new.term);
    if term.is_none() {
        problems.add("term", "Nhiệm kỳ viết như 2025-2030, không quá 5 năm");
    }
    check_kinds(&new.kinds, &mut problems);
    let steps = new.milestones.clone().unwrap_or_else(default_steps);
    check_steps(&steps, &mut problems);
    problems.finish().map_err(StoreError::Invalid)?;
    let term = term.map(|t| t.to_string()).unwrap_or_default();
    let existing =
        tx.query(&format!("{PLAN_SQL} WHERE org_id = $1 AND term = $2"), params![new.org_id, term.as_str()]).await?;
    for r in &existing {
        let plan = plan_of(r)?;
        if let Some(k) = new.kinds.iter().find(|k| plan.kinds.contains(k)) {
            return Err(StoreError::invalid(
                "kinds",
                format!("Đã có kế hoạch đại hội nhiệm kỳ {term} cho {}", k.label().to_lowercase()),
            ));
        }
    }
    let kinds = new.kinds.iter().map(|k| k.as_str()).collect::<Vec<_>>().join(",");
    let milestones = serde_json::to_string(&steps).map_err(|e| StoreError::Decode(e.to_string()))?;
    let id = tx
        .query_one(
            "INSERT INTO congress_plans (org_id, term, kinds, held_by, milestones, created_by, created_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
            params![
                new.org_id,
                term.as_str(),
                kinds.as_str(),
                new.held_by,
                milestones.as_str(),
                actor.id,
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
            action: Action::CongressPlan,
            subject: Subject::org(new.org_id),
            before: None,
            after: Some(
                json!({"plan_id": id, "term": term, "kinds": kinds, "held_by": new.held_by, "milestones": steps}),
            ),
        },
    )
    .await?;
    Ok(id)
}

/// The plans of `term` pushed by the organisations on `path` (its ancestors and itself), the
/// nearest last.
async fn plans_on_path(db_or_tx: Reader<'_>, path: &str, term: Option<&str>) -> Result<Vec<Plan>, StoreError> {
    let orgs = ids(path);
    if orgs.is_empty() {
        return Ok(Vec::new());
    }
    let mut values: Vec<Value> = orgs.iter().map(|&o| Value::from(o)).collect();
    let list = (1..=orgs.len()).map(|i| format!("${i}")).collect::<Vec<_>>().join(", ");
    let mut sql = format!("{PLAN_SQL} WHERE org_id IN ({list})");
    if let Some(t) = term {
        values.push(Value::from(t));
        sql.push_str(&format!(" AND term = ${}", values.len()));
    }
    let rows = match db_or_tx {
        Reader::Db(db) => db.query(&sql, &values).await?,
        Reader::Tx(tx) => tx.query(&sql, &values).await?,
    };
    let mut plans = rows.iter().map(plan_of).collect::<Result<Vec<_>, _>>()?;
    let depth = |p: &Plan| orgs.iter().position(|&o| o == p.org_id).unwrap_or(0);
    plans.sort_by_key(|p| (depth(p), p.id));
    Ok(plans)
}

enum Reader<'a> {
    Db(&'a Db),
    Tx(&'a mut Tx),
}

/// The plans that reach an organisation at `path` (pushed by it or above it), any term.
pub async fn plans_reaching(db: &Db, path: &str) -> Result<Vec<Plan>, StoreError> {
    plans_on_path(Reader::Db(db), path, None).await
}

/// The milestones of a congress of `kind` for an organisation of `org_kind` at `path`: the
/// nearest plan above it that covers its kind, or the usual calendar. Answers who set them.
async fn steps_for(
    tx: &mut Tx,
    path: &str,
    org_id: OrgId,
    org_kind: OrgKind,
    term: &str,
) -> Result<(Option<OrgId>, Vec<Step>), StoreError> {
    let plans = plans_on_path(Reader::Tx(tx), path, Some(term)).await?;
    let nearest = plans.into_iter().rev().find(|p| p.org_id != org_id && p.kinds.contains(&org_kind));
    Ok(match nearest {
        Some(p) => (Some(p.org_id), p.milestones),
        None => (None, default_steps()),
    })
}

/// One milestone of a congress and its task.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct MilestoneTask {
    #[schema(value_type = String, example = "drafts_ready")]
    pub milestone: Milestone,
    pub label: &'static str,
    pub task_id: i64,
    pub due_on: Option<NaiveDate>,
    pub done_on: Option<NaiveDate>,
}

/// Creates the tasks of a new congress's milestones: set by the plan above (the planning
/// committee assigns them) or, with none, by the usual calendar (the organisation's own).
pub(super) async fn create_milestones(
    tx: &mut Tx,
    actor: &Actor,
    congress_id: i64,
    org_id: OrgId,
    kind: CongressKind,
    term: &str,
    opens_on: NaiveDate,
) -> Result<(), StoreError> {
    let org = tx
        .query_one("SELECT path, kind, name FROM org_versions WHERE org_id = $1 AND valid_to IS NULL", params![org_id])
        .await?
        .ok_or(StoreError::NotFound)?;
    let (path, name) = (org.text(0)?, org.text(2)?);
    let org_kind = org.word(1, OrgKind::parse)?;
    let (planner, steps) = steps_for(tx, &path, org_id, org_kind, term).await?;
    for step in steps.into_iter().filter(|s| s.milestone.applies_to(kind)) {
        let task = NewTask {
            org_id: planner.unwrap_or(org_id),
            title: format!("Đại hội {name} nhiệm kỳ {term}: {}", step.milestone.label().to_lowercase()),
            detail: String::new(),
            lead_org_id: org_id,
            support_org_ids: Vec::new(),
            support_body_ids: Vec::new(),
            lead_body_id: None,
            starts_on: None,
            due_on: Some(step.due_on(opens_on)),
            recurrence: None,
            meeting_id: None,
            document_id: None,
        };
        let task_id = crate::tasks::create(tx, actor, task).await?;
        tx.execute(
            "INSERT INTO congress_milestones (congress_id, milestone, task_id) VALUES ($1, $2, $3)",
            params![congress_id, step.milestone.as_str(), task_id],
        )
        .await?;
    }
    Ok(())
}

pub async fn milestones(db: &Db, congress_id: i64) -> Result<Vec<MilestoneTask>, StoreError> {
    let rows = db
        .query(
            "SELECT m.milestone, m.task_id, t.due_on, t.done_on FROM congress_milestones m
             JOIN tasks t ON t.id = m.task_id WHERE m.congress_id = $1 ORDER BY t.due_on, m.task_id",
            params![congress_id],
        )
        .await?;
    rows.iter()
        .map(|r| {
            let milestone = r.word(0, Milestone::parse)?;
            Ok(MilestoneTask {
                milestone,
                label: milestone.label(),
                task_id: r.int(1)?,
                due_on: r.opt_date(2)?,
                done_on: r.opt_date(3)?,
            })
        })
        .collect()
}

/// Reports a milestone's task done on `on` when the congress reaches it (approved, opened),
/// unless it was reported already or the congress has no such milestone.
pub(super) async fn reach_milestone(
    tx: &mut Tx,
    actor: &Actor,
    congress_id: i64,
    milestone: Milestone,
    on: NaiveDate,
) -> Result<(), StoreError> {
    let open = tx
        .query_one(
            "SELECT m.task_id FROM congress_milestones m JOIN tasks t ON t.id = m.task_id
             WHERE m.congress_id = $1 AND m.milestone = $2 AND t.done_on IS NULL AND t.cancelled_on IS NULL",
            params![congress_id, milestone.as_str()],
        )
        .await?;
    if let Some(r) = open {
        crate::tasks::report(tx, actor, r.int(0)?, 100, milestone.label(), true, on).await?;
    }
    Ok(())
}

/// An organisation as the progress view lists it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct OrgStanding {
    #[schema(value_type = i64)]
    pub org_id: OrgId,
    pub name: String,
    #[schema(value_type = String, example = "late")]
    pub standing: Standing,
    pub congress_id: Option<i64>,
    pub opens_on: Option<NaiveDate>,
}

/// A milestone passed its due day without being reported done.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct MissedMilestone {
    #[schema(value_type = i64)]
    pub org_id: OrgId,
    pub name: String,
    pub congress_id: i64,
    #[schema(value_type = String, example = "drafts_ready")]
    pub milestone: Milestone,
    pub due_on: NaiveDate,
}

/// Where the organisations a plan covers inside a subtree stand on a day.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PlanProgress {
    pub plan: Plan,
    /// The organisations of the covered kinds that exist on the day.
    pub expected: u32,
    pub held: u32,
    pub held_on_time: u32,
    pub scheduled: u32,
    pub late: u32,
    pub not_scheduled: u32,
    /// Those not held, the late first (at most 500).
    pub not_held: Vec<OrgStanding>,
    /// Milestones past due and not done (at most 500), and how many in all.
    pub missed_milestones: Vec<MissedMilestone>,
    pub missed_total: u32,
}

/// The most organisations and milestones the progress view lists by name.
const LISTED: usize = 500;

/// The progress, on `on`, of every plan of `term` that reaches the subtree at `path`. The plans
/// share the subtree, so it is read once for all of them, in two queries: every organisation of
/// the kinds they cover with its congress of the term, and every missed milestone; each plan
/// then counts and lists those of its kinds.
pub async fn progress(db: &Db, path: &str, term: &str, on: NaiveDate) -> Result<Vec<PlanProgress>, StoreError> {
    let plans = plans_on_path(Reader::Db(db), path, Some(term)).await?;
    let mut kinds: Vec<OrgKind> = plans.iter().flat_map(|p| p.kinds.iter().copied()).collect();
    kinds.sort();
    kinds.dedup();
    if kinds.is_empty() {
        return Ok(Vec::new());
    }
    let end = subtree_end(path);
    let mut values = vec![Value::from(path), Value::from(end.as_str()), Value::from(on), Value::from(term)];
    // A plan covers the organisations below its committee: the committees themselves are left out.
    let planners: Vec<OrgId> = plans.iter().map(|p| p.org_id).collect();
    let planner_list = (5..5 + planners.len()).map(|i| format!("${i}")).collect::<Vec<_>>().join(", ");
    values.extend(planners.iter().map(|&o| Value::from(o)));
    let view = |kinds: &[OrgKind], values: &mut Vec<Value>| {
        let first = values.len() + 1;
        values.extend(kinds.iter().map(|k| Value::from(k.as_str())));
        let list = (first..first + kinds.len()).map(|i| format!("${i}")).collect::<Vec<_>>().join(", ");
        format!(
            "v.path >= $1 AND v.path < $2 AND v.valid_from <= $3 AND (v.valid_to IS NULL OR v.valid_to > $3)
             AND v.org_id NOT IN ({planner_list}) AND v.kind IN ({list})"
        )
    };
    let mut all = values.clone();
    let in_view = view(&kinds, &mut all);
    let orgs = db
        .query(
            &format!(
                "SELECT v.org_id, v.name, v.kind, c.id, c.opens_on, c.opened_on FROM org_versions v
                 LEFT JOIN congresses c ON c.org_id = v.org_id AND c.term = $4
                 WHERE {in_view} ORDER BY v.path"
            ),
            &all,
        )
        .await?;
    let missed = db
        .query(
            &format!(
                "SELECT c.org_id, v.name, v.kind, c.id, m.milestone, t.due_on FROM org_versions v
                 JOIN congresses c ON c.org_id = v.org_id AND c.term = $4
                 JOIN congress_milestones m ON m.congress_id = c.id
                 JOIN tasks t ON t.id = m.task_id
                 WHERE {in_view} AND t.due_on < $3 AND t.cancelled_on IS NULL
                   AND (t.done_on IS NULL OR t.done_on > t.due_on)
                 ORDER BY t.due_on, v.path"
            ),
            &all,
        )
        .await?;
    plans.into_iter().map(|plan| plan_progress(plan, &orgs, &missed, on)).collect()
}

/// One plan's counts over the rows [`progress`] read: those of its kinds.
fn plan_progress(plan: Plan, orgs: &[Row], missed: &[Row], on: NaiveDate) -> Result<PlanProgress, StoreError> {
    let covers = |r: &Row| -> Result<bool, StoreError> { Ok(plan.kinds.contains(&r.word(2, OrgKind::parse)?)) };
    let mut counts = [0u32; 5];
    let mut not_held = Vec::new();
    for r in orgs {
        if !covers(r)? {
            continue;
        }
        let opens_on = r.opt_date(4)?;
        let s = standing(opens_on, r.opt_date(5)?, plan.held_by, on);
        counts[s as usize] += 1;
        if !s.is_held() {
            not_held.push(OrgStanding {
                org_id: r.id(0)?,
                name: r.text(1)?,
                standing: s,
                congress_id: r.opt_int(3)?,
                opens_on,
            });
        }
    }
    // The late first, then in the order of the tree.
    not_held.sort_by_key(|o| o.standing != Standing::Late);
    not_held.truncate(LISTED);
    let (mut missed_total, mut missed_milestones) = (0, Vec::new());
    for r in missed {
        if !covers(r)? {
            continue;
        }
        missed_total += 1;
        if missed_milestones.len() < LISTED {
            missed_milestones.push(MissedMilestone {
                org_id: r.id(0)?,
                name: r.text(1)?,
                congress_id: r.int(3)?,
                milestone: r.word(4, Milestone::parse)?,
                due_on: r.date(5)?,
            });
        }
    }
    let held_on_time = counts[Standing::HeldOnTime as usize];
    Ok(PlanProgress {
        expected: counts.iter().sum(),
        held: held_on_time + counts[Standing::HeldLate as usize],
        held_on_time,
        scheduled: counts[Standing::Scheduled as usize],
        late: counts[Standing::Late as usize],
        not_scheduled: counts[Standing::NotScheduled as usize],
        not_held,
        missed_milestones,
        missed_total,
        plan,
    })
}
