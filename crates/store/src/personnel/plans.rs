//! The congress personnel plan: its structure and names, its state (the committee above
//! approves it), and the vote compared with it. The rules are `dangvu_domain::personnel::plan`.

use chrono::NaiveDate;
use dangvu_domain::audit::Action;
use dangvu_domain::elections::Body;
use dangvu_domain::ids::{MemberId, OrgId};
use dangvu_domain::personnel::Post;
use dangvu_domain::personnel::plan::{Departures, Person, PlanEvent, PlanState, compare};
use dangvu_domain::text::clean;
use serde::Serialize;
use serde_json::json;
use utoipa::ToSchema;

use crate::audit::{self, Actor, Change, Subject};
use crate::{Db, StoreError, Tx, params};

/// A name proposed for a post.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PlannedName {
    #[schema(value_type = Option<i64>)]
    pub member_id: Option<MemberId>,
    pub full_name: String,
}

/// One post of the plan: its seats, how many candidates its list will carry, the names.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PlannedPost {
    #[schema(value_type = String, example = "executive_committee")]
    pub post: Post,
    pub post_label: &'static str,
    pub seats: u32,
    pub candidates: u32,
    pub names: Vec<PlannedName>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Plan {
    pub id: i64,
    pub congress_id: i64,
    #[schema(value_type = i64)]
    pub org_id: OrgId,
    /// `draft`, `submitted` or `approved`.
    #[schema(value_type = String, example = "approved")]
    pub state: PlanState,
    pub state_label: &'static str,
    pub note: String,
    /// The committee above's decision approving it.
    pub decision: Option<String>,
    pub decided_on: Option<NaiveDate>,
    /// Why the committee above sent it back, the last time it did.
    pub returned_reason: Option<String>,
    pub posts: Vec<PlannedPost>,
}

/// The structure and names as the convening committee writes them.
#[derive(Debug, Clone)]
pub struct PlanContent {
    pub note: String,
    pub posts: Vec<PostContent>,
}

/// One post of a plan as written: its seats, the candidates of its list (0: not decided), the
/// names proposed (the registry's member when known).
#[derive(Debug, Clone)]
pub struct PostContent {
    pub post: Post,
    pub seats: u32,
    pub candidates: u32,
    pub names: Vec<(Option<MemberId>, String)>,
}

pub async fn plan_of(db: &Db, congress_id: i64) -> Result<Option<Plan>, StoreError> {
    let Some(r) = db
        .query_one(
            "SELECT id, congress_id, org_id, state, note, decision, decided_on, returned_reason
             FROM personnel_plans WHERE congress_id = $1",
            params![congress_id],
        )
        .await?
    else {
        return Ok(None);
    };
    let id = r.int(0)?;
    let state = r.word(3, PlanState::parse)?;
    let mut posts: Vec<PlannedPost> = db
        .query("SELECT post, seats, candidates FROM personnel_plan_posts WHERE plan_id = $1", params![id])
        .await?
        .iter()
        .map(|p| {
            let post = p.word(0, Post::parse)?;
            Ok(PlannedPost {
                post,
                post_label: post.label(),
                seats: u32::try_from(p.int(1)?).unwrap_or(0),
                candidates: u32::try_from(p.int(2)?).unwrap_or(0),
                names: Vec::new(),
            })
        })
        .collect::<Result<_, StoreError>>()?;
    posts.sort_by_key(|p| p.post);
    for n in db
        .query(
            "SELECT post, member_id, full_name FROM personnel_plan_names WHERE plan_id = $1 ORDER BY post, position",
            params![id],
        )
        .await?
    {
        let post = n.word(0, Post::parse)?;
        if let Some(p) = posts.iter_mut().find(|p| p.post == post) {
            p.names.push(PlannedName { member_id: n.opt_id(1)?, full_name: n.text(2)? });
        }
    }
    Ok(Some(Plan {
        id,
        congress_id: r.int(1)?,
        org_id: r.id(2)?,
        state,
        state_label: state.label(),
        note: r.text(4)?,
        decision: r.opt_text(5)?,
        decided_on: r.opt_date(6)?,
        returned_reason: r.opt_text(7)?,
        posts,
    }))
}

/// Writes the plan of a congress (a new plan, or the draft again): every post given replaces
/// what the draft had.
pub async fn save_plan(
    tx: &mut Tx,
    actor: &Actor,
    congress_id: i64,
    org_id: OrgId,
    content: &PlanContent,
) -> Result<i64, StoreError> {
    let note = clean(&content.note);
    if note.chars().count() > 5000 {
        return Err(StoreError::invalid("note", "Thuyết minh tối đa 5.000 ký tự"));
    }
    for (i, PostContent { post, seats, candidates, names }) in content.posts.iter().enumerate() {
        let field = format!("posts[{i}]");
        if *post == Post::BoardHead {
            return Err(StoreError::invalid(&field, "Trưởng ban do cấp ủy bổ nhiệm, không bầu tại đại hội"));
        }
        if *seats == 0 || *seats > 500 || (post.is_single() && *seats != 1) {
            return Err(StoreError::invalid(
                &field,
                format!("{}: số lượng từ 1 đến 500 (chức danh một người: 1)", post.label()),
            ));
        }
        if *candidates != 0 && (*candidates < *seats || *candidates > 1000) {
            return Err(StoreError::invalid(
                &field,
                format!("{}: số ứng cử viên không ít hơn số cần bầu", post.label()),
            ));
        }
        if names.len() > 1000 || names.iter().any(|(_, n)| clean(n).is_empty() || n.chars().count() > 200) {
            return Err(StoreError::invalid(&field, format!("{}: mỗi tên 1–200 ký tự", post.label())));
        }
        if content.posts[..i].iter().any(|p| p.post == *post) {
            return Err(StoreError::invalid(&field, format!("{} ghi hai lần", post.label())));
        }
    }
    let existing =
        tx.query_one("SELECT id, state FROM personnel_plans WHERE congress_id = $1", params![congress_id]).await?;
    let id = match existing {
        Some(r) => {
            if !r.word(1, PlanState::parse)?.is_editable() {
                return Err(StoreError::invalid("state", "Chỉ sửa được đề án đang xây dựng"));
            }
            let id = r.int(0)?;
            tx.execute("UPDATE personnel_plans SET note = $2 WHERE id = $1", params![id, note.as_str()]).await?;
            tx.execute("DELETE FROM personnel_plan_names WHERE plan_id = $1", params![id]).await?;
            tx.execute("DELETE FROM personnel_plan_posts WHERE plan_id = $1", params![id]).await?;
            id
        }
        None => tx
            .query_one(
                "INSERT INTO personnel_plans (congress_id, org_id, state, note, created_at)
                 VALUES ($1, $2, 'draft', $3, $4) RETURNING id",
                params![congress_id, org_id, note.as_str(), crate::now_micros()],
            )
            .await?
            .ok_or(StoreError::NotFound)?
            .int(0)?,
    };
    for PostContent { post, seats, candidates, names } in &content.posts {
        tx.execute(
            "INSERT INTO personnel_plan_posts (plan_id, post, seats, candidates) VALUES ($1, $2, $3, $4)",
            params![id, post.as_str(), i64::from(*seats), i64::from(*candidates)],
        )
        .await?;
        for (position, (member_id, name)) in names.iter().enumerate() {
            tx.execute(
                "INSERT INTO personnel_plan_names (plan_id, post, position, member_id, full_name) VALUES ($1, $2, $3, $4, $5)",
                params![id, post.as_str(), position as i64, *member_id, clean(name)],
            )
            .await?;
        }
    }
    // The names are personnel data: the log, which every admin reads, keeps the structure only.
    let structure: Vec<_> = content
        .posts
        .iter()
        .map(|p| json!({"post": p.post.as_str(), "seats": p.seats, "candidates": p.candidates, "names": p.names.len()}))
        .collect();
    audit::append(
        tx,
        actor,
        Change {
            action: Action::PersonnelPlanSave,
            subject: Subject::personnel_plan(id),
            before: None,
            after: Some(json!({"congress_id": congress_id, "posts": structure})),
        },
    )
    .await?;
    Ok(id)
}

/// A step of the plan's life, with the decision for an approval and the reason for a return.
pub async fn plan_event(
    tx: &mut Tx,
    actor: &Actor,
    plan_id: i64,
    event: PlanEvent,
    decision: &str,
    on: NaiveDate,
    reason: &str,
) -> Result<PlanState, StoreError> {
    let row = tx.query_one("SELECT state FROM personnel_plans WHERE id = $1", params![plan_id]).await?;
    let before = row.ok_or(StoreError::NotFound)?.word(0, PlanState::parse)?;
    let after = before.after(event).map_err(|why| StoreError::invalid("event", why))?;
    let (decision, reason) = (clean(decision), clean(reason));
    match event {
        PlanEvent::Approve if decision.is_empty() || decision.chars().count() > 200 => {
            return Err(StoreError::invalid("decision", "Ghi số và ngày của quyết định phê duyệt (tối đa 200 ký tự)"));
        }
        PlanEvent::Return if reason.is_empty() || reason.chars().count() > 2000 => {
            return Err(StoreError::invalid("reason", "Ghi lý do trả lại đề án (tối đa 2.000 ký tự)"));
        }
        _ => {}
    }
    let updated = match event {
        PlanEvent::Approve => {
            tx.execute(
                "UPDATE personnel_plans SET state = $3, decision = $4, decided_on = $5 WHERE id = $1 AND state = $2",
                params![plan_id, before.as_str(), after.as_str(), decision.as_str(), on],
            )
            .await?
        }
        PlanEvent::Return => {
            tx.execute(
                "UPDATE personnel_plans SET state = $3, returned_reason = $4 WHERE id = $1 AND state = $2",
                params![plan_id, before.as_str(), after.as_str(), reason.as_str()],
            )
            .await?
        }
        PlanEvent::Submit | PlanEvent::Amend => {
            tx.execute(
                "UPDATE personnel_plans SET state = $3, decision = NULL, decided_on = NULL WHERE id = $1 AND state = $2",
                params![plan_id, before.as_str(), after.as_str()],
            )
            .await?
        }
    };
    if updated == 0 {
        return Err(StoreError::invalid("event", "Đề án vừa được người khác thay đổi; hãy tải lại"));
    }
    audit::append(
        tx,
        actor,
        Change {
            action: Action::PersonnelPlanState,
            subject: Subject::personnel_plan(plan_id),
            before: Some(json!({"state": before.as_str()})),
            after: Some(json!({"state": after.as_str(), "event": event.as_str(), "decision": decision, "on": on})),
        },
    )
    .await?;
    Ok(after)
}

/// Where the vote for one post departed from the approved plan.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PostComparison {
    #[schema(value_type = String, example = "executive_committee")]
    pub post: Post,
    pub post_label: &'static str,
    /// Whether the congress's elections for this post have a final count yet.
    pub counted: bool,
    pub departed: bool,
    pub departures: Departures,
}

/// The vote of the congress compared with its approved plan, post by post: the people elected
/// in the congress's final counts for each post (every round together).
pub async fn comparison(db: &Db, plan: &Plan) -> Result<Vec<PostComparison>, StoreError> {
    let mut out = Vec::new();
    for p in &plan.posts {
        let ids = db
            .query(
                "SELECT id FROM elections WHERE congress_id = $1 AND body = $2 ORDER BY id",
                params![plan.congress_id, Body::parse(p.post.as_str()).map(Body::as_str).unwrap_or("other")],
            )
            .await?;
        let mut elected = Vec::new();
        let mut counted = false;
        for r in &ids {
            let Some(election) = crate::elections::get(db, r.int(0)?).await? else { continue };
            let Some((_, outcome)) = crate::elections::result(db, &election).await? else { continue };
            if outcome.is_tie() {
                continue;
            }
            counted = true;
            for number in outcome.elected() {
                if let Some(c) = election.candidates.iter().find(|c| c.number == number) {
                    elected.push(Person { member_id: c.member_id.map(i64::from), full_name: c.full_name.clone() });
                }
            }
        }
        let planned: Vec<Person> = p
            .names
            .iter()
            .map(|n| Person { member_id: n.member_id.map(i64::from), full_name: n.full_name.clone() })
            .collect();
        let departures = if counted { compare(p.seats, &planned, &elected) } else { Departures::default() };
        out.push(PostComparison {
            post: p.post,
            post_label: p.post.label(),
            counted,
            departed: counted && departures.departed(),
            departures,
        });
    }
    Ok(out)
}
