//! The use cases of the registry, shared by the API and the pages: register a member, read a
//! record (audited), correct it, and the procedures of a member's life (transfer, end,
//! exemption, recognition, periods out, re-admission) and the import of a file. Each checks
//! that the account keeps the member's records, writes in one transaction and answers the
//! record as it now is.

use chrono::NaiveDate;
use dangvu_domain::calendar;
use dangvu_domain::ids::{MemberId, OrgId};
use dangvu_domain::validation::Problems;
use dangvu_store::accounts::SessionUser;
use dangvu_store::members::import_drafts::{self, DraftFile};
use dangvu_store::members::{self, CheckedMember, Member, NewMember};
use serde::Deserialize;
use utoipa::ToSchema;

use super::{redact, require_keeper, visible_member};
use crate::AppState;
use crate::error::AppError;
use crate::pages::codes_to_ids;
use crate::scope::org_field;
use crate::usecase::{actor, in_tx};
use dangvu_store::{StoreError, Tx};

/// A change to a record: the fields that change (a JSON merge patch, `null` clearing an
/// optional one), or the whole of it as a form gives it.
pub enum Change<T> {
    Patch(serde_json::Value),
    Whole(T),
}

impl<T: serde::Serialize + serde::de::DeserializeOwned> Change<T> {
    pub fn applied_to(self, current: &T) -> Result<T, AppError> {
        match self {
            Change::Patch(patch) => crate::api::merge_patch(current, patch),
            Change::Whole(whole) => Ok(whole),
        }
    }
}

/// A member whose record the account changes: it keeps records and reads this one.
async fn keepable(state: &AppState, user: &SessionUser, id: MemberId) -> Result<Member, AppError> {
    require_keeper(user)?;
    visible_member(state, user, id).await
}

/// Changes a record the account keeps, in one transaction, and answers it as it now is.
async fn change_record(
    state: &AppState,
    user: &SessionUser,
    id: MemberId,
    write: impl AsyncFnOnce(&mut Tx) -> Result<(), StoreError>,
) -> Result<Member, AppError> {
    keepable(state, user, id).await?;
    in_tx(state, write).await?;
    reread(state, user, id).await
}

/// The record as it now is, as the account may read it.
async fn reread(state: &AppState, user: &SessionUser, id: MemberId) -> Result<Member, AppError> {
    let m = members::get(&state.db, id, calendar::today()).await?.ok_or(AppError::NotFound)?;
    Ok(redact(user, m))
}

/// A date of the input, or the problem it makes.
pub fn date(raw: Option<&str>, field: &str, problems: &mut Problems) -> Option<NaiveDate> {
    let raw = raw.map(str::trim).filter(|s| !s.is_empty())?;
    let d = calendar::parse_date(raw);
    if d.is_none() {
        problems.add(field, "Ngày không hợp lệ (YYYY-MM-DD hoặc dd/mm/yyyy)");
    }
    d
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct CreateMember {
    pub full_name: String,
    /// YYYY-MM-DD or dd/mm/yyyy.
    pub birth_date: String,
    /// `male`/`female` (or `Nam`/`Nữ`).
    pub gender: String,
    /// The cell the member belongs to.
    #[schema(value_type = i64)]
    pub org_id: OrgId,
    /// Date of the admission decision.
    pub admitted_on: String,
    /// `probationary`/`full` (or `dự bị`/`chính thức`).
    pub status: String,
    pub ceremony_on: Option<String>,
    pub official_on: Option<String>,
    /// Citizen id (CCCD), 12 digits.
    pub national_id: Option<String>,
    pub phone: Option<String>,
    pub card_number: Option<String>,
}

/// Registers a member in a cell of the account's subtree.
pub async fn register(state: &AppState, user: &SessionUser, input: CreateMember) -> Result<Member, AppError> {
    require_keeper(user)?;
    org_field(state, user, input.org_id, "org_id").await?;
    let today = calendar::today();
    let mut problems = Problems::new();
    let new = NewMember {
        full_name: input.full_name,
        birth_date: date(Some(&input.birth_date), "birth_date", &mut problems),
        gender: input.gender,
        status: input.status,
        admitted_on: date(Some(&input.admitted_on), "admitted_on", &mut problems),
        ceremony_on: date(input.ceremony_on.as_deref(), "ceremony_on", &mut problems),
        official_on: date(input.official_on.as_deref(), "official_on", &mut problems),
        national_id: input.national_id,
        phone: input.phone,
        card_number: input.card_number,
    };
    let unreadable: Vec<String> = problems.clone().into_vec().into_iter().map(|e| e.field).collect();
    let mut rule_problems = Problems::new();
    let checked = members::check(&new, today, "", &mut rule_problems);
    for e in rule_problems.into_vec() {
        if !unreadable.contains(&e.field) {
            problems.add(e.field, e.message);
        }
    }
    problems.finish().map_err(AppError::Invalid)?;
    let checked = checked.ok_or_else(|| AppError::Internal("checked member missing".into()))?;
    let ids = in_tx(state, async |tx| members::insert(tx, &actor(user), input.org_id, &[checked], today).await).await?;
    let id = ids.first().copied().ok_or(AppError::NotFound)?;
    reread(state, user, id).await
}

/// A member's record, read by someone other than the member: the reading is recorded in the
/// audit log.
pub async fn read(state: &AppState, user: &SessionUser, id: MemberId) -> Result<Member, AppError> {
    let m = visible_member(state, user, id).await?;
    if user.user.member_id != Some(id) {
        in_tx(state, async |tx| members::audit_read(tx, &actor(user), id).await).await?;
    }
    Ok(m)
}

/// Corrects the identity fields of a record (name, birth date, gender, citizen id, phone, card
/// number). Status, cell and dates of admission change through their own procedures.
pub async fn correct(
    state: &AppState,
    user: &SessionUser,
    id: MemberId,
    change: Change<members::Identity>,
) -> Result<Member, AppError> {
    keepable(state, user, id).await?;
    let today = calendar::today();
    let corrected = match change {
        // The patch applies to the record as it is, not as the account reads it.
        Change::Patch(patch) => {
            let record = members::get(&state.db, id, today).await?.ok_or(AppError::NotFound)?;
            crate::api::merge_patch(&members::Identity::of(&record), patch)?
        }
        Change::Whole(identity) => identity,
    };
    in_tx(state, async |tx| members::correct(tx, &actor(user), id, &corrected, today).await).await?;
    reread(state, user, id).await
}

/// Corrects admission dates that were typed or imported wrong, on the `basis` of the original
/// documents. The member's periods are cut again, so party age and past figures follow.
pub async fn correct_admission(
    state: &AppState,
    user: &SessionUser,
    id: MemberId,
    dates: &members::AdmissionDates,
    basis: &str,
) -> Result<Member, AppError> {
    let today = calendar::today();
    change_record(state, user, id, async |tx| {
        members::correct_admission(tx, &actor(user), id, dates, basis, today).await
    })
    .await
}

/// Transfers a member to another cell in scope (chuyển sinh hoạt đảng), official or temporary.
pub async fn transfer(
    state: &AppState,
    user: &SessionUser,
    id: MemberId,
    order: &members::NewTransfer<'_>,
) -> Result<Member, AppError> {
    keepable(state, user, id).await?;
    org_field(state, user, order.to_org_id, "to_org_id").await?;
    let rules = dangvu_store::settings::get(&state.db).await?.membership_rules;
    in_tx(state, async |tx| members::transfer(tx, &actor(user), id, order, &rules).await).await?;
    reread(state, user, id).await
}

/// Ends a membership. The record and its history stay.
pub async fn end(
    state: &AppState,
    user: &SessionUser,
    id: MemberId,
    kind: &str,
    on: NaiveDate,
) -> Result<Member, AppError> {
    change_record(state, user, id, async |tx| members::end_membership(tx, &actor(user), id, kind, on).await).await
}

/// Exempts a member from activities (miễn sinh hoạt) or lifts the exemption.
pub async fn set_exemption(
    state: &AppState,
    user: &SessionUser,
    id: MemberId,
    exempt: bool,
    since: Option<NaiveDate>,
    reason: Option<&str>,
) -> Result<Member, AppError> {
    change_record(state, user, id, async |tx| members::set_exemption(tx, &actor(user), id, exempt, since, reason).await)
        .await
}

/// Recognises a probationary member as an official member, on the committee's decision.
pub async fn recognise(
    state: &AppState,
    user: &SessionUser,
    id: MemberId,
    decided_on: NaiveDate,
) -> Result<Member, AppError> {
    keepable(state, user, id).await?;
    let rules = dangvu_store::settings::get(&state.db).await?.membership_rules;
    in_tx(state, async |tx| members::recognize(tx, &actor(user), id, decided_on, &rules).await).await?;
    reread(state, user, id).await
}

/// Records a period out of the Party or out of its activity; party age leaves it out.
pub async fn add_inactive_period(
    state: &AppState,
    user: &SessionUser,
    id: MemberId,
    period: &members::NewInactivePeriod<'_>,
) -> Result<Member, AppError> {
    let today = calendar::today();
    change_record(state, user, id, async |tx| {
        members::record_inactive_period(tx, &actor(user), id, period, today).await.map(|_| ())
    })
    .await
}

/// Removes a period out recorded in error, or of a member cleared of a wrongful expulsion.
pub async fn delete_inactive_period(
    state: &AppState,
    user: &SessionUser,
    id: MemberId,
    period_id: i64,
) -> Result<Member, AppError> {
    change_record(state, user, id, async |tx| members::delete_inactive_period(tx, &actor(user), id, period_id).await)
        .await
}

/// Re-admits a member whose membership ended, into a cell in scope (the last one when none is
/// given).
pub async fn readmit(
    state: &AppState,
    user: &SessionUser,
    id: MemberId,
    decision_on: NaiveDate,
    ceremony_on: NaiveDate,
    org_id: Option<OrgId>,
) -> Result<Member, AppError> {
    let m = keepable(state, user, id).await?;
    let org_id = org_id.unwrap_or(m.org_id);
    org_field(state, user, org_id, "org_id").await?;
    let rules = dangvu_store::settings::get(&state.db).await?.membership_rules;
    let r = members::Readmission { decision_on, ceremony_on, org_id };
    in_tx(state, async |tx| members::readmit(tx, &actor(user), id, &r, &rules, calendar::today()).await).await?;
    reread(state, user, id).await
}

/// Only the receiving side (its subtree or above) confirms a transfer.
pub async fn confirm_transfer(
    state: &AppState,
    user: &SessionUser,
    transfer_id: i64,
    raw_on: Option<&str>,
) -> Result<(), AppError> {
    require_keeper(user)?;
    let to_org = members::transfer_target(&state.db, transfer_id).await?.ok_or(AppError::NotFound)?;
    crate::scope::visible_org(state, user, to_org, calendar::today()).await?;
    let on = crate::scope::date_or_today(raw_on, "confirmed_on")?;
    in_tx(state, async |tx| members::confirm_transfer(tx, &actor(user), transfer_id, on).await).await
}

/// The cell an import goes to, from its code, if the account keeps its members: its id and name.
pub async fn import_cell(state: &AppState, user: &SessionUser, cell_code: &str) -> Result<(OrgId, String), AppError> {
    require_keeper(user)?;
    let ids = codes_to_ids(state, cell_code, "cell_code").await?;
    let [cell] = ids[..] else {
        return Err(AppError::invalid("cell_code", "Hãy ghi mã chi bộ nhận đảng viên"));
    };
    org_field(state, user, cell, "cell_code").await?;
    let org = crate::scope::visible_org(state, user, cell, calendar::today()).await?;
    Ok((cell, org.name))
}

/// Keeps an uploaded file as the draft of an import into the cell `cell_code`, for the preview;
/// nothing is written to the registry yet. Answers the draft's token, the file and the cell's
/// name.
pub async fn keep_import_draft(
    state: &AppState,
    user: &SessionUser,
    cell_code: &str,
    file: Option<(String, Vec<u8>)>,
) -> Result<(String, DraftFile, String), AppError> {
    let (_, cell_name) = import_cell(state, user, cell_code).await?;
    let Some((name, bytes)) = file else {
        return Err(AppError::invalid("file", "Hãy chọn tệp CSV hoặc Excel (.xlsx)"));
    };
    let file = DraftFile::new(&name, bytes);
    let token = import_drafts::keep(&state.db, user.user.id, &file).await?;
    Ok((token, file, cell_name))
}

/// Whether the account keeps the members of the cell an import goes to.
async fn require_importer(state: &AppState, user: &SessionUser, org_id: OrgId) -> Result<(), AppError> {
    require_keeper(user)?;
    org_field(state, user, org_id, "org_id").await
}

/// What an import of a file into the cell would do, without writing. `preview` is read only
/// once the account may import there, so that no file is taken in for an import it may not make.
pub async fn preview_import<T>(
    state: &AppState,
    user: &SessionUser,
    org_id: OrgId,
    preview: impl Future<Output = Result<T, AppError>>,
) -> Result<T, AppError> {
    require_importer(state, user, org_id).await?;
    preview.await
}

/// Writes the checked rows of a file into the cell, all rows or none; `rows` is read only once
/// the account may import there. A `draft` the pages kept is forgotten in the same
/// transaction; answers `None`, writing nothing, when it is no longer kept (expired, imported,
/// or not this account's). Answers the number of members written.
pub async fn import(
    state: &AppState,
    user: &SessionUser,
    org_id: OrgId,
    draft: Option<&str>,
    rows: impl Future<Output = Result<Vec<CheckedMember>, AppError>>,
) -> Result<Option<usize>, AppError> {
    require_importer(state, user, org_id).await?;
    let rows = rows.await?;
    let today = calendar::today();
    in_tx(state, async |tx| {
        // The draft goes in the import's transaction: confirmed twice at once, on one
        // server or two, it is imported once.
        if let Some(token) = draft
            && !import_drafts::forget(tx, user.user.id, token).await?
        {
            return Ok(None);
        }
        let ids = members::insert(tx, &actor(user), org_id, &rows, today).await?;
        Ok(Some(ids.len()))
    })
    .await
}
