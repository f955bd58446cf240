//! Petitions (đơn thư): the register of the inspection committees and offices, and its clock.
//! A letter is registered, classified (kept with a coded reason when it is not handled, linked
//! to the case it repeats), routed to the competent body, accepted, handled within its time
//! limit and concluded. The sender of a denunciation is read only by the case's handlers and by
//! those the head of the inspection committee names in a recorded decision; every read of a
//! sender is an audit entry that does not name them.

pub mod api;
pub mod pages;

use chrono::{Datelike, NaiveDate};
use dangvu_domain::calendar;
use dangvu_domain::ids::{MemberId, OrgId};
use dangvu_domain::petitions::clock::ClockFacts;
use dangvu_domain::petitions::{
    Channel, Clock, Concerns, Event, Kind, NotHandledReason, Outcome, State, held_for_congress, not_handled_at_intake,
};
use dangvu_domain::text::clean;
use dangvu_store::accounts::{self, Scope, SessionUser, User};
use dangvu_store::orgs::{self, Org};
use dangvu_store::petitions::{
    self, Clockwork, Disclosure, Figures, Filter, Handler, Intake, Petition, Reception, Repeat, Sender, Step,
    StepRecord,
};
use dangvu_store::settings::{self, Settings};
use serde::Serialize;
use utoipa::ToSchema;

use crate::AppState;
use crate::error::AppError;
use crate::scope::{require_admin, visible_org};
use crate::usecase::{actor, in_tx};

/// Whether the account reads the register at all (the navigation shows it only then).
pub fn reads_petitions(user: &SessionUser) -> bool {
    user.user.role.reads_petitions()
}

/// An organisation whose register the account reads: the role, then the scope (404 outside).
async fn register_org(state: &AppState, user: &SessionUser, org_id: OrgId) -> Result<Org, AppError> {
    let org = visible_org(state, user, org_id, calendar::today()).await?;
    if !reads_petitions(user) {
        return Err(AppError::forbidden());
    }
    Ok(org)
}

async fn clock_settings(state: &AppState) -> Result<Settings, AppError> {
    Ok(settings::get(&state.db).await?)
}

fn clockwork(s: &Settings) -> Clockwork<'_> {
    Clockwork { rules: &s.petition_rules, calendar: &s.holidays, today: calendar::today() }
}

/// A case the account reads (its register in scope), or 404.
async fn readable(state: &AppState, user: &SessionUser, id: i64, s: &Settings) -> Result<Petition, AppError> {
    let case = petitions::petition(&state.db, id, &clockwork(s)).await?.ok_or(AppError::NotFound)?;
    register_org(state, user, case.org_id).await?;
    Ok(case)
}

/// A case the account handles (UBKT, admin), or why not.
async fn handled(state: &AppState, user: &SessionUser, id: i64, s: &Settings) -> Result<Petition, AppError> {
    let case = readable(state, user, id, s).await?;
    if !user.user.role.may_handle_petitions() {
        return Err(AppError::Forbidden("Chỉ Ủy ban Kiểm tra xử lý đơn thư".into()));
    }
    Ok(case)
}

/// Whether the account reads this case's letter itself (its scans, and its sender when it has
/// one): for a denunciation only its handlers and those a disclosure names; for other letters
/// also those who handle petitions in scope.
async fn reads_letter(state: &AppState, user: &SessionUser, case: &Petition) -> Result<bool, AppError> {
    if !case.kind.protects_sender() && user.user.role.may_handle_petitions() {
        return Ok(true);
    }
    Ok(petitions::reads_sender(&state.db, case.id, user.user.id).await?)
}

/// Whether the account reads this case's sender: [`reads_letter`], when there is a sender.
async fn reads_sender(state: &AppState, user: &SessionUser, case: &Petition) -> Result<bool, AppError> {
    Ok(case.has_sender && reads_letter(state, user, case).await?)
}

/// Keeps a scanned letter of a case, sealed (the office or inspection committee that registers).
pub async fn attach_scan(
    state: &AppState,
    user: &SessionUser,
    id: i64,
    name: &str,
    data: Vec<u8>,
) -> Result<dangvu_store::petitions::Scan, AppError> {
    let s = clock_settings(state).await?;
    readable(state, user, id, &s).await?;
    if !user.user.role.may_register_petitions() {
        return Err(AppError::forbidden());
    }
    let (_, content_type) = dangvu_store::files::check(name, &data, "file")?;
    if !matches!(content_type, "application/pdf" | "image/jpeg" | "image/png") {
        return Err(AppError::invalid("file", "Bản quét là tệp PDF, JPG hoặc PNG"));
    }
    let key = &state.config.identity_key;
    let scan =
        in_tx(state, async |tx| petitions::attach_scan(tx, &actor(user), key, id, content_type, &data).await).await?;
    petitions::scans(&state.db, id).await?.into_iter().find(|x| x.id == scan).ok_or(AppError::NotFound)
}

/// A scanned letter's bytes, for those who read the letter; the read is logged.
pub async fn scan_file(
    state: &AppState,
    user: &SessionUser,
    scan_id: i64,
) -> Result<axum::response::Response, AppError> {
    use axum::http::header;
    use axum::response::IntoResponse;

    let id = petitions::scan_case(&state.db, scan_id).await?.ok_or(AppError::NotFound)?;
    let s = clock_settings(state).await?;
    let case = readable(state, user, id, &s).await?;
    if !reads_letter(state, user, &case).await? {
        return Err(AppError::Forbidden("Chỉ người được giao xử lý đơn xem được bản quét".into()));
    }
    let (scan, data) =
        petitions::open_scan(&state.db, &state.config.identity_key, scan_id).await?.ok_or(AppError::NotFound)?;
    in_tx(state, async |tx| petitions::log_read(tx, &actor(user), id, "scan").await).await?;
    let ext = match scan.content_type.as_str() {
        "application/pdf" => "pdf",
        "image/png" => "png",
        _ => "jpg",
    };
    let disposition = format!("attachment; filename=\"ban-quet-don-{id}-{scan_id}.{ext}\"");
    Ok(([(header::CONTENT_TYPE, scan.content_type), (header::CONTENT_DISPOSITION, disposition)], data).into_response())
}

/// A letter as a client or a form gives it.
#[derive(Debug, Clone, Default)]
pub struct Letter {
    pub org_id: Option<OrgId>,
    pub number: Option<String>,
    pub received_on: Option<NaiveDate>,
    pub channel: String,
    pub kind: String,
    pub summary: String,
    pub sender: Option<Sender>,
    pub concerns: Option<String>,
    pub concerns_member_id: Option<MemberId>,
    pub concerns_org_id: Option<OrgId>,
    pub concerns_text: Option<String>,
    pub congress_id: Option<i64>,
    pub reception_id: Option<i64>,
    /// A complaint that also denounces (HD 02-HD/TW).
    pub also_denounces: bool,
}

/// The new case and what intake found.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Registered {
    #[serde(flatten)]
    pub petition: Petition,
    /// The earlier cases it probably repeats, most alike first.
    pub repeats: Vec<Repeat>,
}

/// Registers a letter: classified, routed, timed, its sender sealed.
pub async fn register(state: &AppState, user: &SessionUser, letter: Letter) -> Result<Registered, AppError> {
    let org = crate::scope::scope_org(state, user, letter.org_id).await?;
    if !user.user.role.may_register_petitions() {
        return Err(AppError::forbidden());
    }
    let s = clock_settings(state).await?;
    let today = calendar::today();
    let mut problems = dangvu_domain::validation::Problems::new();
    let kind = Kind::parse(letter.kind.trim());
    if kind.is_none() {
        problems.add("kind", "Loại đơn: complaint, denunciation, proposal hoặc feedback");
    }
    let channel = Channel::parse(letter.channel.trim());
    if channel.is_none() {
        problems.add("channel", "Hình thức nhận: post, handed_in, reception, forwarded hoặc online");
    }
    let received_on = letter.received_on.unwrap_or(today);
    if received_on > today || received_on.year() < 2000 {
        problems.add("received_on", "Ngày nhận đơn không thể sau hôm nay hoặc trước năm 2000");
    }
    let summary = clean(&letter.summary);
    if summary.is_empty() || summary.chars().count() > 10_000 {
        problems.add("summary", "Ghi nội dung đơn (1–10.000 ký tự)");
    }
    let sender = letter.sender.map(|s| Sender {
        full_name: clean(&s.full_name),
        address: s.address.map(|a| clean(&a)).filter(|a| !a.is_empty()),
        phone: s.phone.map(|p| clean(&p)).filter(|p| !p.is_empty()),
        original_summary: None,
    });
    if let Some(s) = &sender {
        if s.full_name.is_empty() || s.full_name.chars().count() > 200 {
            problems.add("sender.full_name", "Họ tên người gửi 1–200 ký tự (đơn nặc danh: không ghi người gửi)");
        }
        if s.address.as_ref().is_some_and(|a| a.chars().count() > 300) {
            problems.add("sender.address", "Địa chỉ tối đa 300 ký tự");
        }
        if s.phone.as_ref().is_some_and(|p| p.chars().count() > 30) {
            problems.add("sender.phone", "Số điện thoại tối đa 30 ký tự");
        }
    }
    let concerns = match letter.concerns.as_deref().map(str::trim).filter(|c| !c.is_empty()) {
        Some(c) => {
            Concerns::parse(c).ok_or_else(|| AppError::invalid("concerns", "Đối tượng: member, org hoặc state"))?
        }
        None if letter.concerns_member_id.is_some() => Concerns::Member,
        None if letter.concerns_text.as_deref().is_some_and(|t| !t.trim().is_empty())
            && letter.concerns_org_id.is_none() =>
        {
            Concerns::State
        }
        None => Concerns::Org,
    };
    let mut concerns_text = letter.concerns_text.as_deref().map(clean).unwrap_or_default();
    if concerns_text.chars().count() > 300 {
        problems.add("concerns_text", "Đối tượng bị phản ánh tối đa 300 ký tự");
    }
    let (mut member, mut concerned_org) = (None, None);
    match concerns {
        Concerns::Member => {
            let Some(m) = letter.concerns_member_id else {
                return Err(AppError::invalid("concerns_member_id", "Chọn đảng viên bị khiếu nại, tố cáo"));
            };
            let found = dangvu_store::members::get(&state.db, m, today).await?;
            let Some(found) = found else {
                return Err(AppError::invalid("concerns_member_id", "Không có đảng viên này"));
            };
            concerns_text = found.full_name.clone();
            member = Some(m);
        }
        Concerns::Org => {
            // Not named: the receiving organisation's own area, to be determined.
            let o = letter.concerns_org_id;
            if let Some(o) = o {
                let found = orgs::get(&state.db, o, today).await?;
                let Some(found) = found else {
                    return Err(AppError::invalid("concerns_org_id", "Không có tổ chức đảng này"));
                };
                concerns_text = found.name;
                concerned_org = Some(o);
            }
        }
        Concerns::State => {
            if concerns_text.is_empty() {
                problems.add("concerns_text", "Ghi cơ quan, việc thuộc nhà nước mà đơn đề cập");
            }
        }
    }
    problems.finish().map_err(AppError::Invalid)?;
    let (Some(kind), Some(channel)) = (kind, channel) else { return Err(AppError::NotFound) };
    if letter.also_denounces && kind != Kind::Complaint {
        return Err(AppError::invalid("also_denounces", "Chỉ đơn khiếu nại có kèm nội dung tố cáo được tách"));
    }
    if let Some(r) = letter.reception_id {
        let session = petitions::reception(&state.db, r).await?;
        if session.is_none_or(|s| s.org_id != org.id) {
            return Err(AppError::invalid("reception_id", "Không có buổi tiếp công dân này của đơn vị"));
        }
    }
    // The congress window (HD 07-HD/UBKTTW) for a denunciation about a congress.
    let mut held = false;
    if let Some(c) = letter.congress_id {
        let congress = dangvu_store::congresses::get(&state.db, c).await?;
        let Some(congress) = congress else {
            return Err(AppError::invalid("congress_id", "Không có đại hội này"));
        };
        let convening = orgs::get(&state.db, congress.org_id, today).await?;
        let grassroots = convening.is_some_and(|o| o.kind.is_grassroots());
        held = held_for_congress(kind, received_on, congress.opens_on, grassroots, &s.petition_rules, &s.holidays);
    }
    let has_address = sender.as_ref().is_some_and(|s| s.address.is_some() || s.phone.is_some());
    let not_handled = not_handled_at_intake(kind, sender.is_some(), has_address);
    let initial = State::at_intake(not_handled.is_some(), held);
    // The sender's own words leave the stored content of a denunciation; the handlers read them
    // with the sealed sender.
    let mut sender = sender;
    let stored_summary = match &mut sender {
        Some(s) => s.protect(kind, &summary),
        None => summary.clone(),
    };
    let competent = match concerns {
        Concerns::Org if concerned_org.is_none() => Some(org.id),
        _ => petitions::competent_org(&state.db, concerns, member, concerned_org, today).await?,
    };
    let repeats = petitions::repeats(
        &state.db,
        concerns,
        member,
        concerned_org,
        &concerns_text,
        &stored_summary,
        s.petition_rules.repeat_similarity_percent,
    )
    .await?;
    let rule = s.petition_rules.limit(kind).clone();
    let clock = Clock::of(&rule, &ClockFacts::received(received_on), &s.holidays);
    let intake = Intake {
        org_id: org.id,
        number: letter.number.filter(|n| !n.trim().is_empty()),
        received_on,
        channel,
        kind,
        summary: stored_summary,
        concerns,
        concerns_member_id: member,
        concerns_org_id: concerned_org,
        concerns_text,
        competent_org_id: competent,
        congress_id: letter.congress_id,
        reception_id: letter.reception_id,
        state: initial,
        not_handled_reason: not_handled,
        repeat_of: repeats.first().map(|r| r.id),
        guided_to_denounce: letter.also_denounces,
        rule,
        clock,
        sender,
    };
    let key = &state.config.identity_key;
    let id = in_tx(state, async |tx| petitions::register(tx, &actor(user), key, &intake).await).await?;
    let petition = petitions::petition(&state.db, id, &clockwork(&s)).await?.ok_or(AppError::NotFound)?;
    Ok(Registered { petition, repeats })
}

/// A case with what the account may read of it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CaseView {
    #[serde(flatten)]
    pub petition: Petition,
    /// The sender, only for those who read it (`null` otherwise, and for an anonymous letter).
    pub sender: Option<SenderView>,
    /// Whether a sender exists that this account does not read.
    pub sender_hidden: bool,
    pub handlers: Vec<Handler>,
    pub history: Vec<StepRecord>,
    /// The decisions showing the denouncer to others (read by the handlers and custodians).
    pub disclosures: Vec<Disclosure>,
    /// The steps this account may take now.
    pub next_steps: Vec<&'static str>,
    /// The scanned letters (what they are; their content only for those who read the sender).
    pub scans: Vec<dangvu_store::petitions::Scan>,
    /// Whether this account opens the scans.
    pub reads_scans: bool,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SenderView {
    pub full_name: String,
    pub address: Option<String>,
    pub phone: Option<String>,
    /// The letter's content as written, naming the sender.
    pub original_summary: Option<String>,
}

pub async fn case(state: &AppState, user: &SessionUser, id: i64) -> Result<CaseView, AppError> {
    let s = clock_settings(state).await?;
    let petition = readable(state, user, id, &s).await?;
    let reads_scans = reads_letter(state, user, &petition).await?;
    let reads = petition.has_sender && reads_scans;
    let sender = if reads {
        let sender = petitions::sender(&state.db, &state.config.identity_key, id).await?;
        in_tx(state, async |tx| petitions::log_sender_read(tx, &actor(user), id).await).await?;
        sender.map(|s| SenderView {
            full_name: s.full_name,
            address: s.address,
            phone: s.phone,
            original_summary: s.original_summary,
        })
    } else {
        None
    };
    let custodian = is_custodian_for(state, user, &petition).await?;
    let disclosures = if reads || custodian { petitions::disclosures(&state.db, id).await? } else { Vec::new() };
    let next_steps = if user.user.role.may_handle_petitions() {
        Event::ALL.iter().filter(|e| petition.status.after(**e).is_ok()).map(|e| e.as_str()).collect()
    } else {
        Vec::new()
    };
    Ok(CaseView {
        scans: petitions::scans(&state.db, id).await?,
        reads_scans,
        sender_hidden: petition.has_sender && !reads,
        sender,
        handlers: petitions::handlers(&state.db, id).await?,
        history: petitions::history(&state.db, id).await?,
        disclosures,
        next_steps,
        petition,
    })
}

/// What a register is filtered by, as a client or a form gives it.
#[derive(Debug, Clone, Copy, Default)]
pub struct RegisterFilter<'a> {
    /// The top of the subtree; the account's own organisation by default.
    pub org_id: Option<OrgId>,
    pub status: Option<&'a str>,
    pub kind: Option<&'a str>,
    /// Only the cases past their deadline today.
    pub overdue: bool,
}

/// The register of a subtree, `limit` cases older than the case `before` (0: the newest).
pub async fn list(
    state: &AppState,
    user: &SessionUser,
    filter: RegisterFilter<'_>,
    limit: i64,
    before: i64,
) -> Result<(Org, Vec<Petition>), AppError> {
    let RegisterFilter { org_id, status, kind, overdue } = filter;
    let org = crate::scope::scope_org(state, user, org_id).await?;
    if !reads_petitions(user) {
        return Err(AppError::forbidden());
    }
    let state_filter = status
        .map(|s| State::parse(s.trim()).ok_or_else(|| AppError::invalid("status", "Trạng thái không hợp lệ")))
        .transpose()?;
    let kind_filter = kind
        .map(|k| Kind::parse(k.trim()).ok_or_else(|| AppError::invalid("kind", "Loại đơn không hợp lệ")))
        .transpose()?;
    let s = clock_settings(state).await?;
    let filter = Filter { path: org.path.clone(), state: state_filter, kind: kind_filter, overdue };
    let items = petitions::list(&state.db, &filter, &clockwork(&s), limit, before).await?;
    Ok((org, items))
}

/// A step on a case, as a client or a form gives it.
#[derive(Debug, Clone, Default)]
pub struct StepInput {
    pub on: Option<NaiveDate>,
    pub note: String,
    pub decision: Option<String>,
    pub outcome: Option<String>,
    pub reason: Option<String>,
    pub forwarded_to: Option<String>,
    /// Forward inside the tree: the competent organisation's register receives a new case.
    pub to_org_id: Option<OrgId>,
}

pub async fn take_step(
    state: &AppState,
    user: &SessionUser,
    id: i64,
    event: Event,
    input: StepInput,
) -> Result<CaseView, AppError> {
    let s = clock_settings(state).await?;
    let current = handled(state, user, id, &s).await?;
    let today = calendar::today();
    let outcome = input
        .outcome
        .as_deref()
        .map(|o| Outcome::parse(o.trim()).ok_or_else(|| AppError::invalid("outcome", "Kết luận không hợp lệ")))
        .transpose()?;
    let reason = input
        .reason
        .as_deref()
        .filter(|_| event == Event::Keep)
        .map(|r| NotHandledReason::parse(r.trim()).ok_or_else(|| AppError::invalid("reason", "Lý do không hợp lệ")))
        .transpose()?;
    // Held and released around the congress the denunciation concerns (HD 07-HD/UBKTTW): held
    // only before that congress ends, released only after.
    if matches!(event, Event::Hold | Event::Release) {
        let last_day = match current.congress_id {
            Some(c) => dangvu_store::congresses::get(&state.db, c).await?.map(|c| c.closes_on.unwrap_or(c.opens_on)),
            None => None,
        };
        let congress_on = last_day.is_some_and(|last_day| today <= last_day);
        if event == Event::Hold && (current.kind != Kind::Denunciation || !congress_on) {
            return Err(AppError::invalid(
                "status",
                "Chỉ đơn tố cáo liên quan một đại hội chưa kết thúc mới chuyển cấp ủy khóa mới",
            ));
        }
        if event == Event::Release && congress_on {
            return Err(AppError::invalid("status", "Đại hội chưa kết thúc: đơn chuyển cấp ủy khóa mới sau đại hội"));
        }
    }
    let mut forwarded_to = input.forwarded_to.clone();
    let target = match (event, input.to_org_id) {
        (Event::Forward, Some(o)) => {
            let target = orgs::get(&state.db, o, today)
                .await?
                .filter(|t| t.active)
                .ok_or_else(|| AppError::invalid("to_org_id", "Không có tổ chức đảng này"))?;
            if target.id == current.org_id {
                return Err(AppError::invalid("to_org_id", "Đơn đã ở sổ của tổ chức này"));
            }
            let reference = input.decision.as_deref().map(clean).unwrap_or_default();
            forwarded_to =
                Some(if reference.is_empty() { target.name.clone() } else { format!("{} ({reference})", target.name) });
            Some(target)
        }
        _ => None,
    };
    let step = Step {
        event,
        on: input.on.unwrap_or(today),
        note: input.note,
        decision: input.decision,
        outcome,
        reason,
        forwarded_to,
    };
    let key = &state.config.identity_key;
    let rules = &s.petition_rules;
    let calendar_of = &s.holidays;
    in_tx(state, async |tx| {
        let clock = Clockwork { rules, calendar: calendar_of, today };
        let closed = petitions::take_step(tx, &actor(user), id, &step, &clock).await?;
        if let Some(target) = &target {
            petitions::forward_into(tx, &actor(user), key, &closed, target.id, step.on, &clock).await?;
        }
        Ok(())
    })
    .await?;
    case(state, user, id).await
}

/// Assigns a handler: an inspector or admin account whose scope holds the case.
pub async fn add_handler(state: &AppState, user: &SessionUser, id: i64, user_id: i64) -> Result<CaseView, AppError> {
    let s = clock_settings(state).await?;
    let petition = handled(state, user, id, &s).await?;
    // Whoever handles a denunciation reads its denouncer: only the head of the inspection
    // committee assigns them, so that nobody makes themselves a reader.
    if petition.kind.protects_sender() && !is_custodian_for(state, user, &petition).await? {
        return Err(AppError::Forbidden("Chỉ Chủ nhiệm Ủy ban Kiểm tra giao người xử lý đơn tố cáo".into()));
    }
    let target = accounts::user(&state.db, user_id).await?;
    let Some(target) = target.filter(|t| t.active) else {
        return Err(AppError::invalid("user_id", "Không có tài khoản này"));
    };
    if !target.role.may_handle_petitions() || !sees_org(state, &target, petition.org_id).await? {
        return Err(AppError::invalid("user_id", "Người xử lý là tài khoản Ủy ban Kiểm tra có phạm vi gồm đơn vị này"));
    }
    // The one assigning must see the assignee too (no probing of accounts outside scope).
    if let Some(o) = target.org_id {
        visible_org(state, user, o, calendar::today())
            .await
            .map_err(|_| AppError::invalid("user_id", "Không có tài khoản này"))?;
    } else if user.scope != Scope::Tree {
        return Err(AppError::invalid("user_id", "Không có tài khoản này"));
    }
    in_tx(state, async |tx| petitions::add_handler(tx, &actor(user), id, user_id, calendar::today()).await).await?;
    case(state, user, id).await
}

/// Whether an account's scope holds the organisation.
async fn sees_org(state: &AppState, account: &User, org_id: OrgId) -> Result<bool, AppError> {
    match account.org_id {
        None => Ok(true),
        Some(root) => Ok(orgs::is_within(&state.db, org_id, root, calendar::today()).await?),
    }
}

/// Whether the account is the head of the inspection committee with the case in scope.
async fn is_custodian_for(state: &AppState, user: &SessionUser, case: &Petition) -> Result<bool, AppError> {
    Ok(user.user.petition_custodian
        && user.user.active
        && user.user.role.may_handle_petitions()
        && sees_org(state, &user.user, case.org_id).await?)
}

/// The head of the inspection committee shows a denouncer to an account that does not handle
/// the case, with the reason: a recorded decision.
pub async fn disclose(
    state: &AppState,
    user: &SessionUser,
    id: i64,
    user_id: i64,
    reason: &str,
) -> Result<CaseView, AppError> {
    let s = clock_settings(state).await?;
    let petition = readable(state, user, id, &s).await?;
    if !is_custodian_for(state, user, &petition).await? {
        return Err(AppError::Forbidden(
            "Chỉ Chủ nhiệm Ủy ban Kiểm tra quyết định cho xem danh tính người tố cáo".into(),
        ));
    }
    let target = accounts::user(&state.db, user_id).await?.filter(|t| t.active);
    let Some(target) = target else { return Err(AppError::invalid("user_id", "Không có tài khoản này")) };
    if !sees_org(state, &target, petition.org_id).await? || !target.role.reads_petitions() {
        return Err(AppError::invalid("user_id", "Tài khoản này không đọc được sổ đơn thư của đơn vị"));
    }
    in_tx(state, async |tx| petitions::disclose(tx, &actor(user), id, user_id, reason).await).await?;
    case(state, user, id).await
}

/// Makes an inspector account the head of its inspection committee (the custodian of
/// denouncers' identities in its scope), or not: an admin, for an account in scope.
pub async fn set_custodian(
    state: &AppState,
    user: &SessionUser,
    user_id: i64,
    custodian: bool,
) -> Result<User, AppError> {
    require_admin(user)?;
    let target = accounts::user(&state.db, user_id).await?.ok_or(AppError::NotFound)?;
    match target.org_id {
        None if user.scope != Scope::Tree => return Err(AppError::NotFound),
        Some(org) => {
            visible_org(state, user, org, calendar::today()).await?;
        }
        None => {}
    }
    in_tx(state, async |tx| petitions::set_custodian(tx, &actor(user), user_id, custodian).await).await?;
    accounts::user(&state.db, user_id).await?.ok_or(AppError::NotFound)
}

/// The figures of the register of a subtree for a period.
pub async fn figures(
    state: &AppState,
    user: &SessionUser,
    org_id: Option<OrgId>,
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
) -> Result<(Org, Figures), AppError> {
    let org = crate::scope::scope_org(state, user, org_id).await?;
    if !reads_petitions(user) {
        return Err(AppError::forbidden());
    }
    let today = calendar::today();
    let to = to.unwrap_or(today);
    let from = from.unwrap_or_else(|| NaiveDate::from_ymd_opt(to.year(), 1, 1).unwrap_or(to));
    if from > to || (to - from).num_days() > 366 * 10 {
        return Err(AppError::invalid("from", "Kỳ thống kê: từ ngày không sau đến ngày, tối đa 10 năm"));
    }
    let figures = petitions::figures(&state.db, &org.path, from, to, today).await?;
    Ok((org, figures))
}

/// The figures of a subtree for a period printed: the quarterly report in the Party's layout
/// (PDF, DOCX) or the spreadsheet (XLSX). Counts only.
pub async fn figures_report(
    state: &AppState,
    user: &SessionUser,
    org_id: Option<OrgId>,
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
    format: &str,
) -> Result<axum::response::Response, AppError> {
    use crate::files::Format;
    use dangvu_reports::{FigureLine, PetitionFigures};
    use dangvu_store::petitions::figures::{Counts, Line};

    let format = Format::parse(if format.is_empty() { "pdf" } else { format })?;
    let (org, f) = figures(state, user, org_id, from, to).await?;
    let line = |label: &str, c: &Counts| FigureLine {
        label: label.to_owned(),
        received: c.received,
        not_handled: c.not_handled,
        resolved: c.resolved,
        resolved_on_time: c.resolved_on_time,
        resolved_late: c.resolved_late,
        open: c.open,
        overdue: c.overdue,
    };
    let lines = |m: &std::collections::BTreeMap<String, Line>| m.values().map(|l| line(&l.label, &l.counts)).collect();
    let report = PetitionFigures {
        audit_head: crate::files::audit_head(state).await?,
        org: org.name.clone(),
        from: f.from,
        to: f.to,
        on: calendar::today(),
        total: line("Tổng số", &f.total),
        breakdowns: vec![
            ("Theo loại đơn".to_owned(), lines(&f.by_kind)),
            ("Theo hình thức nhận".to_owned(), lines(&f.by_channel)),
            ("Theo đối tượng".to_owned(), lines(&f.by_concerns)),
            ("Theo cấp có thẩm quyền".to_owned(), lines(&f.by_competent)),
        ],
        months: f.months.iter().map(|m| (m.month.clone(), m.received, m.resolved)).collect(),
    };
    let stem = format!("don-thu-{}-{}", f.from, f.to);
    crate::files::printed(format, &stem, move |format| match format {
        Format::Xlsx => dangvu_reports::petition_figures_xlsx(&report),
        Format::Docx => dangvu_reports::petition_figures_docx(&report),
        Format::Pdf => dangvu_reports::petition_figures_pdf(&report),
    })
    .await
}

/// What the home page shows of the register: the subtree's open cases against their clocks,
/// and the cases the account handles.
pub async fn home(
    state: &AppState,
    user: &SessionUser,
    org: &Org,
) -> Result<(dangvu_store::petitions::Deadlines, Vec<Petition>), AppError> {
    let s = clock_settings(state).await?;
    let clock = clockwork(&s);
    let deadlines = petitions::deadlines(&state.db, &org.path, &clock).await?;
    let mine = petitions::assigned(&state.db, user.user.id, &clock).await?;
    Ok((deadlines, mine))
}

/// The open cases of a subtree against their clocks (the tasks' dashboard shows them).
pub async fn deadlines(state: &AppState, org: &Org) -> Result<dangvu_store::petitions::Deadlines, AppError> {
    let s = clock_settings(state).await?;
    Ok(petitions::deadlines(&state.db, &org.path, &clockwork(&s)).await?)
}

/// Records a citizens' reception session.
pub async fn add_reception(
    state: &AppState,
    user: &SessionUser,
    org_id: OrgId,
    held_on: Option<NaiveDate>,
    leader: &str,
    people: i64,
    matters: &str,
) -> Result<Reception, AppError> {
    register_org(state, user, org_id).await?;
    if !user.user.role.may_register_petitions() {
        return Err(AppError::forbidden());
    }
    let held_on = held_on.unwrap_or_else(calendar::today);
    if held_on > calendar::today() {
        return Err(AppError::invalid("held_on", "Ngày tiếp công dân không thể sau hôm nay"));
    }
    let id = in_tx(state, async |tx| {
        petitions::add_reception(tx, &actor(user), org_id, held_on, leader, people, matters).await
    })
    .await?;
    petitions::reception(&state.db, id).await?.ok_or(AppError::NotFound)
}

pub async fn receptions(state: &AppState, user: &SessionUser, org_id: OrgId) -> Result<Vec<Reception>, AppError> {
    register_org(state, user, org_id).await?;
    Ok(petitions::receptions(&state.db, org_id).await?)
}

/// A letter of a case in the Party's layout, PDF or DOCX: the acceptance and result notices to
/// the sender (printed by those who read the sender, the read logged), the transfer letter to
/// the competent body (never naming a denouncer).
pub async fn letter(
    state: &AppState,
    user: &SessionUser,
    id: i64,
    kind: &str,
    format: &str,
) -> Result<axum::response::Response, AppError> {
    use crate::files::Format;
    use dangvu_reports::{LetterKind, PetitionLetter};

    let format = Format::document(format)?;
    let kind = LetterKind::parse(kind.trim())
        .ok_or_else(|| AppError::invalid("kind", "Loại văn bản: acceptance, result hoặc transfer"))?;
    let s = clock_settings(state).await?;
    let case = handled(state, user, id, &s).await?;
    let ready = match kind {
        LetterKind::Acceptance => case.accepted_on.is_some(),
        LetterKind::Result => case.status == State::Resolved,
        LetterKind::Transfer => case.status == State::Forwarded,
    };
    if !ready {
        return Err(AppError::invalid("kind", "Đơn chưa ở bước có văn bản này"));
    }
    let to_sender = kind != LetterKind::Transfer;
    if to_sender && !case.has_sender {
        return Err(AppError::invalid("kind", "Đơn nặc danh: không có người nhận thông báo"));
    }
    let names_sender = case.has_sender && (to_sender || !case.kind.protects_sender());
    if names_sender && !reads_sender(state, user, &case).await? {
        return Err(AppError::Forbidden("Chỉ người được giao xử lý đơn in văn bản gửi người tố cáo".into()));
    }
    let sender = if names_sender {
        let sender = petitions::sender(&state.db, &state.config.identity_key, id).await?;
        in_tx(state, async |tx| petitions::log_sender_read(tx, &actor(user), id).await).await?;
        sender.map(|s| s.full_name)
    } else {
        None
    };
    let org = orgs::get(&state.db, case.org_id, calendar::today()).await?.ok_or(AppError::NotFound)?;
    let letter = PetitionLetter {
        kind,
        audit_head: crate::files::audit_head(state).await?,
        superior: org.name.clone(),
        issuer: "Ủy ban Kiểm tra".to_owned(),
        place: String::new(),
        on: calendar::today(),
        kind_label: case.kind.label().to_owned(),
        case_number: case.number.clone(),
        received_on: case.received_on,
        summary: case.summary.clone(),
        concerns: if case.concerns_text.is_empty() {
            case.concerns.label().to_owned()
        } else {
            case.concerns_text.clone()
        },
        sender,
        accepted_on: case.accepted_on,
        due_on: case.due_on,
        outcome: case.outcome.map(|o| o.label().to_owned()),
        note: case.outcome_note.clone().unwrap_or_default(),
        forwarded_to: case.forwarded_to.clone(),
    };
    let stem = format!("don-{}-{}", case.id, kind.as_str());
    crate::files::printed(format, &stem, move |format| match format {
        Format::Docx => dangvu_reports::petition_letter_docx(&letter),
        _ => dangvu_reports::petition_letter_pdf(&letter),
    })
    .await
}

pub fn router() -> crate::Routes {
    crate::Routes { api: api::router(), pages: pages::router() }
}
