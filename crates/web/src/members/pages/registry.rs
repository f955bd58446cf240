//! Pages of the members registry: search a subtree, a member's record, register one,
//! import a spreadsheet, export the list.

use askama::Template;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect};
use dangvu_domain::calendar;
use dangvu_domain::ids::{MemberId, OrgId};
use dangvu_domain::members::{MemberStatus, MembershipEnd};
use dangvu_domain::validation::FieldError;
use dangvu_domain::vi;
use dangvu_store::accounts::SessionUser;
use dangvu_store::members::{self, Member};
use serde::Deserialize;

use crate::AppState;
use crate::error::AppError;
use crate::members::list_path;
use crate::members::registry::{self, Change};
use crate::pages::PageQuery;
use crate::pages::codes_to_ids;
use crate::pages::{DoneParam, Layout, PageForm, PageId, PageResult, PageUser, done_message, render_with};

pub struct MemberRow {
    pub id: MemberId,
    pub name: String,
    pub cell: String,
    pub status: &'static str,
    pub born: String,
    pub party_age: String,
}

fn row(m: &Member) -> MemberRow {
    MemberRow {
        id: m.id,
        name: m.full_name.clone(),
        cell: m.org_name.clone(),
        status: m.status.label(),
        born: vi::date(m.birth_date),
        party_age: m.party_age.label(),
    }
}

#[derive(Template)]
#[template(path = "members/members.html")]
struct MembersPage {
    layout: Layout,
    org_id: String,
    q: String,
    status: String,
    rows: Vec<MemberRow>,
    next: Option<String>,
    can_keep: bool,
    done: Option<&'static str>,
    errors: Vec<FieldError>,
    cell_code: String,
}

#[derive(Deserialize, Default)]
pub struct MembersParams {
    org_id: Option<OrgId>,
    q: Option<String>,
    status: Option<String>,
    cursor: Option<String>,
    done: Option<String>,
}

/// `/members`: search the subtree by name, card or citizen id, without diacritics.
pub async fn index(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    PageQuery(p): PageQuery<MembersParams>,
) -> PageResult {
    members_page(&state, &user, p, Vec::new(), String::new()).await
}

async fn members_page(
    state: &AppState,
    user: &SessionUser,
    p: MembersParams,
    errors: Vec<FieldError>,
    cell_code: String,
) -> PageResult {
    let path = list_path(state, user, p.org_id).await?;
    let status = p.status.as_deref().and_then(MemberStatus::parse);
    let after = p.cursor.as_deref().and_then(members::SearchCursor::parse);
    let search = members::Search { path: &path, q: p.q.as_deref(), status, after: after.as_ref(), limit: 100 };
    let members::Found { members: found, next } = members::search(&state.db, &search, calendar::today()).await?;
    let next = next.map(|c| c.to_string());
    let cell_code = match cell_code.trim() {
        "" => crate::orgs::units::own_cell_label(state, user).await?,
        _ => cell_code,
    };
    let page = MembersPage {
        layout: Layout::new(user, "members"),
        org_id: p.org_id.map(|o| o.to_string()).unwrap_or_default(),
        q: p.q.unwrap_or_default(),
        status: status.map(|s| s.as_str().to_owned()).unwrap_or_default(),
        rows: found.iter().map(row).collect(),
        next,
        can_keep: user.user.role.may_keep_members(),
        done: done_message(p.done.as_deref()),
        errors,
        cell_code,
    };
    let code = crate::pages::form_status(&page.errors);
    Ok(render_with(code, &page))
}

/// The members page again, with why an import could not start.
pub async fn import_failed(
    state: &AppState,
    user: &SessionUser,
    errors: Vec<FieldError>,
    cell_code: String,
) -> PageResult {
    members_page(state, user, MembersParams::default(), errors, cell_code).await
}

#[derive(Deserialize)]
pub struct RecordFileParams {
    format: String,
}

/// `/members/{id}/file`: the record as a file, the member's own or one in scope.
pub async fn record_file(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    PageId(id): PageId<MemberId>,
    PageQuery(p): PageQuery<RecordFileParams>,
) -> PageResult {
    Ok(crate::members::record_download(&state, &user, id, &p.format).await?)
}

#[derive(Deserialize)]
pub struct ExportParams {
    org_id: Option<OrgId>,
    q: Option<String>,
    status: Option<String>,
    format: String,
}

pub async fn export(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    PageQuery(p): PageQuery<ExportParams>,
) -> PageResult {
    let p = crate::members::ExportParams {
        org_id: p.org_id,
        q: p.q.filter(|q| !q.is_empty()),
        status: p.status.filter(|s| !s.is_empty()),
        format: p.format,
    };
    Ok(crate::members::export_file(&state, &user, p).await?)
}

/// The facts of a record that are identifiers, written as issued (no thousands dot).
pub fn is_identifier(label: &&'static str) -> bool {
    matches!(*label, "Số thẻ đảng viên" | "Số định danh (CCCD)" | "Điện thoại")
}

#[derive(Template)]
#[template(path = "members/member.html")]
struct MemberPage {
    layout: Layout,
    m: Member,
    status: &'static str,
    gender: &'static str,
    facts: Vec<(&'static str, String)>,
    can_keep: bool,
    /// A probationary member whose probation is over, not yet recognised.
    can_recognize: bool,
    transfers: Vec<TransferRow>,
    end_kinds: Vec<(&'static str, &'static str)>,
    /// Periods out, as shown: id, from, until, reason.
    periods: Vec<(i64, String, String, &'static str)>,
    period_reasons: Vec<(&'static str, &'static str)>,
    /// Keeps records and the membership ended (not by death): may re-admit.
    can_readmit: bool,
    /// Awards and Party badges received: (date, kind and badge, title, deciding organisation, award id).
    awards: Vec<(String, String, String, String, i64)>,
    errors: Vec<FieldError>,
    done: Option<&'static str>,
}

/// Why a member was out, as the record says it.
fn period_reason_label(reason: &str) -> &'static str {
    match reason {
        "expelled" => "Khai trừ",
        "removed_from_list" => "Xóa tên",
        "resigned" => "Xin ra khỏi Đảng",
        "lost_contact" => "Mất liên lạc",
        "transfer_gap" => "Gián đoạn khi chuyển sinh hoạt",
        _ => "",
    }
}

pub struct TransferRow {
    pub id: i64,
    pub kind: &'static str,
    pub from: String,
    pub to: String,
    pub effective_on: String,
    pub until_on: String,
    pub confirmed_on: String,
    pub letter_due_on: String,
    pub late: bool,
    pub pending: bool,
}

/// `/members/{id}`: the record, its reading audited as in the API.
pub async fn show(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    PageId(id): PageId<MemberId>,
    PageQuery(p): PageQuery<DoneParam>,
) -> PageResult {
    member_page(&state, &user, id, Vec::new(), done_message(p.done.as_deref())).await
}

async fn member_page(
    state: &AppState,
    user: &SessionUser,
    id: MemberId,
    errors: Vec<FieldError>,
    done: Option<&'static str>,
) -> PageResult {
    let m = registry::read(state, user, id).await?;
    let d = |d: Option<chrono::NaiveDate>| d.map(vi::date).unwrap_or_else(|| "—".into());
    let mut facts = vec![
        ("Ngày sinh", vi::date(m.birth_date)),
        ("Chi bộ", m.org_name.clone()),
        ("Ngày quyết định kết nạp", vi::date(m.admitted_on)),
        ("Ngày lễ kết nạp", d(m.ceremony_on)),
        ("Ngày chính thức", d(m.official_on)),
        ("Tuổi đảng", m.party_age.label()),
    ];
    if let Some(end) = m.probation_ends_on {
        facts.push(("Hết thời hạn dự bị", vi::date(end)));
    }
    if let Some(c) = &m.card_number {
        facts.push(("Số thẻ đảng viên", c.clone()));
    }
    if let Some(n) = &m.national_id {
        facts.push(("Số định danh (CCCD)", n.clone()));
    }
    if let Some(p) = &m.phone {
        facts.push(("Điện thoại", p.clone()));
    }
    if m.exempt {
        facts.push((
            "Miễn sinh hoạt",
            format!("từ {} — {}", d(m.exempt_since), m.exempt_reason.clone().unwrap_or_default()),
        ));
    }
    if let (Some(on), Some(kind)) = (m.ended_on, m.end_kind) {
        facts.push(("Thôi là đảng viên", format!("{} — {}", vi::date(on), kind.label())));
    }
    let settings = dangvu_store::settings::get(&state.db).await?;
    let today = calendar::today();
    let transfers = members::transfers_of(&state.db, id, today, &settings.membership_rules, &settings.holidays)
        .await?
        .into_iter()
        .map(|t| TransferRow {
            id: t.id,
            kind: if t.kind == "official" { "Chính thức" } else { "Tạm thời" },
            from: t.from_org_name,
            to: t.to_org_name,
            effective_on: vi::date(t.effective_on),
            until_on: d(t.until_on),
            confirmed_on: d(t.confirmed_on),
            letter_due_on: vi::date(t.letter_due_on),
            late: t.late,
            pending: t.confirmed_on.is_none(),
        })
        .collect();
    let periods = m
        .inactive_periods
        .iter()
        .map(|p| (p.id, vi::date(p.from_on), d(p.until_on), period_reason_label(&p.reason)))
        .collect();
    let keeper = user.user.role.may_keep_members();
    let awards = dangvu_store::rewards::awards::of_member(&state.db, id)
        .await?
        .into_iter()
        .map(|a| {
            let what = match a.badge_years {
                Some(y) => format!("Huy hiệu {y} năm tuổi Đảng"),
                None => a.kind_label.to_owned(),
            };
            let title = match &a.document_number {
                Some(n) => format!("{} (số {n})", a.title),
                None => a.title.clone(),
            };
            (vi::date(a.decided_on), what, title, a.org_name, a.award_id)
        })
        .collect();
    let page = MemberPage {
        awards,
        periods,
        period_reasons: members::INACTIVE_REASONS.iter().map(|r| (*r, period_reason_label(r))).collect(),
        can_readmit: keeper && m.ended_on.is_some() && m.end_kind != Some(MembershipEnd::Deceased),
        can_recognize: m.ended_on.is_none() && m.probation_ends_on.is_some_and(|end| end <= today),
        transfers,
        end_kinds: dangvu_domain::members::MembershipEnd::ALL.iter().map(|k| (k.as_str(), k.label())).collect(),
        layout: Layout::new(user, "members"),
        status: match m.status {
            MemberStatus::Full => "Đảng viên chính thức",
            MemberStatus::Probationary => "Đảng viên dự bị",
        },
        gender: m.gender.label(),
        facts,
        can_keep: keeper && m.ended_on.is_none(),
        m,
        errors,
        done,
    };
    let code = crate::pages::form_status(&page.errors);
    Ok(render_with(code, &page))
}

/// Runs a change to a member's record from a form: back to the record with `done`, or the
/// record again with every field error.
async fn member_change(
    state: &AppState,
    user: &SessionUser,
    id: MemberId,
    done: &str,
    change: impl AsyncFnOnce() -> Result<Member, AppError>,
) -> PageResult {
    match change().await {
        Ok(_) => Ok(Redirect::to(&format!("/members/{id}?done={done}")).into_response()),
        Err(AppError::Invalid(errors)) => member_page(state, user, id, errors, None).await,
        Err(e) => Err(e.into()),
    }
}

fn form_date(raw: &str, field: &str) -> Result<Option<chrono::NaiveDate>, AppError> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Ok(None);
    }
    calendar::parse_date(raw).map(Some).ok_or_else(|| AppError::invalid(field, "Ngày không hợp lệ"))
}

#[derive(Deserialize)]
pub struct RecordForm {
    full_name: String,
    birth_date: String,
    gender: String,
    #[serde(default)]
    national_id: String,
    #[serde(default)]
    phone: String,
    #[serde(default)]
    card_number: String,
}

/// Corrects the identity fields of the record; an emptied number is cleared.
pub async fn correct(
    State(state): State<AppState>,
    PageId(id): PageId<MemberId>,
    f: PageForm<RecordForm>,
) -> PageResult {
    let PageForm { user, form } = f;
    member_change(&state, &user, id, "record", async || {
        let birth_date = form_date(&form.birth_date, "birth_date")?
            .ok_or_else(|| AppError::invalid("birth_date", "Thiếu ngày sinh"))?;
        let given = |v: &str| Some(v.trim().to_owned()).filter(|v| !v.is_empty());
        let corrected = members::Identity {
            full_name: form.full_name.clone(),
            birth_date,
            gender: form.gender.clone(),
            national_id: given(&form.national_id),
            phone: given(&form.phone),
            card_number: given(&form.card_number),
        };
        registry::correct(&state, &user, id, Change::Whole(corrected)).await
    })
    .await
}

#[derive(Deserialize)]
pub struct AdmissionForm {
    admitted_on: String,
    #[serde(default)]
    ceremony_on: String,
    #[serde(default)]
    official_on: String,
    #[serde(default)]
    basis: String,
}

/// Corrects the admission dates; the periods are cut again on the new dates.
pub async fn correct_admission(
    State(state): State<AppState>,
    PageId(id): PageId<MemberId>,
    f: PageForm<AdmissionForm>,
) -> PageResult {
    let PageForm { user, form } = f;
    member_change(&state, &user, id, "admission-dates", async || {
        let admitted_on = form_date(&form.admitted_on, "admitted_on")?
            .ok_or_else(|| AppError::invalid("admitted_on", "Thiếu ngày quyết định kết nạp"))?;
        let dates = members::AdmissionDates {
            admitted_on,
            ceremony_on: form_date(&form.ceremony_on, "ceremony_on")?,
            official_on: form_date(&form.official_on, "official_on")?,
        };
        registry::correct_admission(&state, &user, id, &dates, &form.basis).await
    })
    .await
}

#[derive(Deserialize)]
pub struct TransferForm {
    to_code: String,
    kind: String,
    effective_on: String,
    #[serde(default)]
    until_on: String,
}

pub async fn transfer(
    State(state): State<AppState>,
    PageId(id): PageId<MemberId>,
    f: PageForm<TransferForm>,
) -> PageResult {
    let PageForm { user, form } = f;
    member_change(&state, &user, id, "transfer", async || {
        let to = codes_to_ids(&state, &form.to_code, "to_org_id").await?;
        let [to] = to[..] else { return Err(AppError::invalid("to_org_id", "Hãy chọn chi bộ nhận")) };
        let on = calendar::parse_date(&form.effective_on)
            .ok_or_else(|| AppError::invalid("effective_on", "Ngày chuyển không hợp lệ"))?;
        let until = if form.kind == "temporary" { form_date(&form.until_on, "until_on")? } else { None };
        let order = members::NewTransfer { to_org_id: to, kind: &form.kind, effective_on: on, until_on: until };
        registry::transfer(&state, &user, id, &order).await
    })
    .await
}

#[derive(Deserialize)]
pub struct EndForm {
    kind: String,
    ended_on: String,
}

pub async fn end(State(state): State<AppState>, PageId(id): PageId<MemberId>, f: PageForm<EndForm>) -> PageResult {
    let PageForm { user, form } = f;
    member_change(&state, &user, id, "end", async || {
        let on = form_date(&form.ended_on, "ended_on")?.unwrap_or_else(calendar::today);
        registry::end(&state, &user, id, &form.kind, on).await
    })
    .await
}

#[derive(Deserialize)]
pub struct ExemptionForm {
    exempt: String,
    #[serde(default)]
    since: String,
    #[serde(default)]
    reason: String,
}

pub async fn exemption(
    State(state): State<AppState>,
    PageId(id): PageId<MemberId>,
    f: PageForm<ExemptionForm>,
) -> PageResult {
    let PageForm { user, form } = f;
    member_change(&state, &user, id, "exemption", async || {
        let since = form_date(&form.since, "since")?;
        let exempt = form.exempt == "true";
        registry::set_exemption(&state, &user, id, exempt, since, Some(&form.reason)).await
    })
    .await
}

#[derive(Deserialize)]
pub struct RecognitionForm {
    decided_on: String,
}

pub async fn recognize(
    State(state): State<AppState>,
    PageId(id): PageId<MemberId>,
    f: PageForm<RecognitionForm>,
) -> PageResult {
    let PageForm { user, form } = f;
    member_change(&state, &user, id, "recognize", async || {
        let on = form_date(&form.decided_on, "decided_on")?
            .ok_or_else(|| AppError::invalid("decided_on", "Ghi ngày quyết định công nhận"))?;
        registry::recognise(&state, &user, id, on).await
    })
    .await
}

#[derive(Deserialize)]
pub struct PeriodForm {
    from_on: String,
    #[serde(default)]
    until_on: String,
    reason: String,
    #[serde(default)]
    note: String,
}

pub async fn add_period(
    State(state): State<AppState>,
    PageId(id): PageId<MemberId>,
    f: PageForm<PeriodForm>,
) -> PageResult {
    let PageForm { user, form } = f;
    member_change(&state, &user, id, "period", async || {
        let from_on =
            form_date(&form.from_on, "from_on")?.ok_or_else(|| AppError::invalid("from_on", "Ghi ngày bắt đầu"))?;
        let period = members::NewInactivePeriod {
            from_on,
            until_on: form_date(&form.until_on, "until_on")?,
            reason: &form.reason,
            note: Some(&form.note),
        };
        registry::add_inactive_period(&state, &user, id, &period).await
    })
    .await
}

#[derive(Deserialize)]
pub struct DeletePeriodForm {
    period_id: i64,
}

pub async fn delete_period(
    State(state): State<AppState>,
    PageId(id): PageId<MemberId>,
    f: PageForm<DeletePeriodForm>,
) -> PageResult {
    let PageForm { user, form } = f;
    member_change(&state, &user, id, "period", async || {
        registry::delete_inactive_period(&state, &user, id, form.period_id).await
    })
    .await
}

#[derive(Deserialize)]
pub struct ReadmitForm {
    decision_on: String,
    ceremony_on: String,
    #[serde(default)]
    to_code: String,
}

pub async fn readmit(
    State(state): State<AppState>,
    PageId(id): PageId<MemberId>,
    f: PageForm<ReadmitForm>,
) -> PageResult {
    let PageForm { user, form } = f;
    member_change(&state, &user, id, "readmit", async || {
        // Without a code the member goes back to the last cell.
        let org_id = if form.to_code.trim().is_empty() {
            None
        } else {
            let ids = codes_to_ids(&state, &form.to_code, "org_id").await?;
            let [to] = ids[..] else { return Err(AppError::invalid("org_id", "Hãy ghi mã chi bộ")) };
            Some(to)
        };
        let decision_on = form_date(&form.decision_on, "decision_on")?
            .ok_or_else(|| AppError::invalid("decision_on", "Ghi ngày quyết định kết nạp lại"))?;
        let ceremony_on = form_date(&form.ceremony_on, "ceremony_on")?
            .ok_or_else(|| AppError::invalid("ceremony_on", "Ghi ngày lễ kết nạp lại"))?;
        registry::readmit(&state, &user, id, decision_on, ceremony_on, org_id).await
    })
    .await
}

#[derive(Deserialize)]
pub struct ConfirmForm {
    #[serde(default)]
    confirmed_on: String,
    member_id: MemberId,
}

/// Confirms a transfer from the member's record (the receiving side).
pub async fn confirm_transfer(
    State(state): State<AppState>,
    PageId(id): PageId,
    f: PageForm<ConfirmForm>,
) -> PageResult {
    let PageForm { user, form } = f;
    let member = form.member_id;
    let on = Some(&form.confirmed_on).filter(|s| !s.is_empty()).map(|s| s.as_str());
    let result = registry::confirm_transfer(&state, &user, id, on).await;
    match result {
        Ok(()) => Ok(Redirect::to(&format!("/members/{member}?done=confirm")).into_response()),
        Err(AppError::Invalid(errors)) => member_page(&state, &user, member, errors, None).await,
        Err(e) => Err(e.into()),
    }
}
