//! After the count: complaints received in the window of Điều 33, the destruction of the sealed
//! ballots (Điều 35), the committee above's approval (chuẩn y) and the organisation's posts.
//! Complaints and the destruction are the convening side's staff's (in scope, a role that runs
//! elections); the approval is a committee's strictly above the organisation.

use std::collections::BTreeSet;

use chrono::NaiveDate;
use dangvu_domain::calendar;
use dangvu_domain::elections::approval::Approval;
use dangvu_domain::ids::OrgId;
use dangvu_store::accounts::SessionUser;
use dangvu_store::elections::{self, After, ApprovalDecision, Election, PostHolder};
use dangvu_store::settings;

use super::{prepared_election, visible_election};
use crate::AppState;
use crate::error::AppError;
use crate::scope::visible_org;
use crate::usecase::{actor, in_tx};

/// The window, the complaints and the custody of the ballots, for those who see the
/// organisation (a teller from elsewhere, who sees the count, does not see what follows it).
pub async fn after(state: &AppState, user: &SessionUser, id: i64) -> Result<(Election, After), AppError> {
    let election = visible_election(state, user, id).await?;
    visible_org(state, user, election.org_id, calendar::today()).await?;
    let settings = settings::get(&state.db).await?;
    let after =
        elections::after(&state.db, &election, &settings.election_rules, &settings.holidays, calendar::today()).await?;
    Ok((election, after))
}

/// An election whose complaints the account records: the convening side's staff, or the
/// inspection committee (Điều 33: the inspection committee above verifies them), in scope.
async fn complaints_election(state: &AppState, user: &SessionUser, id: i64) -> Result<Election, AppError> {
    let election = elections::get(&state.db, id).await?.ok_or(AppError::NotFound)?;
    visible_org(state, user, election.org_id, calendar::today()).await?;
    if super::is_hidden(state, user, id).await? {
        return Err(AppError::NotFound);
    }
    let role = user.user.role;
    if role.may_run_elections() || role == dangvu_domain::accounts::Role::Inspector {
        Ok(election)
    } else {
        Err(AppError::forbidden())
    }
}

pub async fn complaint(
    state: &AppState,
    user: &SessionUser,
    id: i64,
    received_on: NaiveDate,
    reference: &str,
) -> Result<After, AppError> {
    let election = complaints_election(state, user, id).await?;
    if received_on > calendar::today() {
        return Err(AppError::invalid("received_on", "Ngày nhận đơn không sau hôm nay"));
    }
    in_tx(state, async |tx| elections::complaint(tx, &actor(user), &election, received_on, reference).await).await?;
    Ok(after(state, user, id).await?.1)
}

pub async fn resolve_complaint(
    state: &AppState,
    user: &SessionUser,
    id: i64,
    complaint_id: i64,
    on: NaiveDate,
    outcome: &str,
) -> Result<After, AppError> {
    let election = complaints_election(state, user, id).await?;
    if on > calendar::today() {
        return Err(AppError::invalid("resolved_on", "Ngày giải quyết không sau hôm nay"));
    }
    in_tx(state, async |tx| elections::resolve_complaint(tx, &actor(user), &election, complaint_id, on, outcome).await)
        .await?;
    Ok(after(state, user, id).await?.1)
}

/// The committee's decision destroying the sealed ballots, dated today.
pub async fn destroy(state: &AppState, user: &SessionUser, id: i64, reference: &str) -> Result<After, AppError> {
    let election = prepared_election(state, user, id).await?;
    let settings = settings::get(&state.db).await?;
    let today = calendar::today();
    in_tx(state, async |tx| {
        elections::destroy(tx, &actor(user), &election, today, reference, &settings.election_rules, &settings.holidays)
            .await
    })
    .await?;
    Ok(after(state, user, id).await?.1)
}

/// `approve` or `annul`, as a form or a client names the decision.
pub fn annuls(decision: &str) -> Result<bool, AppError> {
    match decision {
        "approve" => Ok(false),
        "annul" => Ok(true),
        _ => Err(AppError::invalid("decision", "Quyết định là chuẩn y (approve) hoặc hủy kết quả (annul)")),
    }
}

/// What a teller or observer from outside the organisation's scope reads of an election: the
/// count, not the committee above's decision on its people or the custody of the ballots.
pub async fn as_seen(state: &AppState, user: &SessionUser, mut election: Election) -> Election {
    if visible_org(state, user, election.org_id, calendar::today()).await.is_err() {
        election.approval_reference = None;
        election.approval_refused.clear();
        election.approval_note = None;
        election.destruction_reference = None;
    }
    election
}

/// The committee above's decision as a client sends it.
pub struct ApprovalRequest {
    pub annul: bool,
    /// Candidate ids of people elected it does not approve.
    pub refused: Vec<i64>,
    pub reference: String,
    pub on: NaiveDate,
    pub note: String,
}

/// The committee above's decision on the result.
pub async fn approve(
    state: &AppState,
    user: &SessionUser,
    id: i64,
    request: ApprovalRequest,
) -> Result<Approval, AppError> {
    let ApprovalRequest { annul, refused, reference, on, note } = request;
    let election = prepared_election(state, user, id).await?;
    let org = visible_org(state, user, election.org_id, calendar::today()).await?;
    if !crate::scope::is_strictly_above(user, &org) {
        return Err(AppError::Forbidden("Chỉ cấp ủy cấp trên chuẩn y kết quả bầu cử".into()));
    }
    if on > calendar::today() {
        return Err(AppError::invalid("on", "Ngày quyết định không sau hôm nay"));
    }
    let refused = refused
        .iter()
        .map(|c| election.candidate(*c).map(|c| c.number))
        .collect::<Option<BTreeSet<u32>>>()
        .ok_or_else(|| AppError::invalid("refused", "Không có người này trong danh sách"))?;
    let decision = ApprovalDecision { annul, refused, reference, on, note };
    in_tx(state, async |tx| elections::approve(tx, &actor(user), &election, &decision).await).await
}

/// Who holds the organisation's posts now, or ever with `history`.
pub async fn post_holders(
    state: &AppState,
    user: &SessionUser,
    org_id: OrgId,
    history: bool,
) -> Result<Vec<PostHolder>, AppError> {
    visible_org(state, user, org_id, calendar::today()).await?;
    Ok(elections::post_holders(&state.db, org_id, history).await?)
}
