//! Emulation and rewards: the Party badge candidates of an award day and their list, awards
//! and their recipients, the proposals a unit sends to the level that awards, emulation
//! campaigns, and the figures. Every read is scoped to the account's subtree; changes need a
//! role that keeps the rewards work ([`Role::may_keep_rewards`]).
//!
//! [`Role::may_keep_rewards`]: dangvu_domain::accounts::Role::may_keep_rewards

pub mod api;
pub mod pages;

use chrono::{Datelike, NaiveDate};
use dangvu_domain::calendar;
use dangvu_domain::ids::{MemberId, OrgId};
use dangvu_domain::orgs::tree::is_within;
use dangvu_domain::rewards::{AwardKind, Event, next_award_days};
use dangvu_store::accounts::{Scope, SessionUser};
use dangvu_store::orgs::Org;
use dangvu_store::rewards::{
    self, Award, AwardFigures, AwardSummary, BadgeCandidate, Campaign, MemberAward, NewAward, NewCampaign, NewProposal,
    NewProposalItem, NewRecipient, Proposal, ProposalStep, ProposalSummary, awards, campaigns, proposals,
};
use dangvu_store::settings;
use dangvu_store::tasks::documents::{self, NewDocument};

use crate::AppState;
use crate::error::AppError;
use crate::scope::{own_org, scope_org, seen_on, visible_org};
use crate::usecase::{actor, in_tx};

/// How many award days ahead the badge page shows, so that nobody is missed.
pub const DAYS_AHEAD: usize = 4;

pub fn reads_rewards(user: &SessionUser) -> bool {
    user.user.role.reads_rewards()
}

fn require_reader(user: &SessionUser) -> Result<(), AppError> {
    if reads_rewards(user) { Ok(()) } else { Err(AppError::forbidden()) }
}

fn require_keeper(user: &SessionUser) -> Result<(), AppError> {
    if user.user.role.may_keep_rewards() {
        Ok(())
    } else {
        Err(AppError::Forbidden("Tài khoản này không làm công tác thi đua, khen thưởng".into()))
    }
}

/// The organisation whose rewards the account reads (the top of its scope by default).
pub async fn rewards_org(state: &AppState, user: &SessionUser, org_id: Option<OrgId>) -> Result<Org, AppError> {
    let org = scope_org(state, user, org_id).await?;
    require_reader(user)?;
    Ok(org)
}

/// Whether the account sees `path` (in its subtree) today.
async fn sees(state: &AppState, user: &SessionUser, path: &str) -> Result<bool, AppError> {
    Ok(seen_on(state, user, calendar::today()).await?.contains(path))
}

/// Whether the account's own subtree lies within `path` (a campaign launched above covers it).
fn covered_by(user: &SessionUser, path: &str) -> bool {
    match &user.scope {
        Scope::Tree => true,
        Scope::Subtree { path: own, .. } => is_within(own, path),
        Scope::Ended { .. } => false,
    }
}

// ------------------------------------------------------------------ badges

/// The next award days from today (3/2, 19/5, 2/9, 7/11 by default).
pub async fn award_days(state: &AppState) -> Result<Vec<NaiveDate>, AppError> {
    let s = settings::get(&state.db).await?;
    Ok(next_award_days(calendar::today(), &s.membership_rules.badge_award_days, DAYS_AHEAD))
}

/// The badge candidates of a subtree for the award day `on` (the next one by default).
pub async fn badge_candidates(
    state: &AppState,
    user: &SessionUser,
    org_id: Option<OrgId>,
    on: Option<NaiveDate>,
) -> Result<(Org, NaiveDate, Vec<BadgeCandidate>), AppError> {
    let org = rewards_org(state, user, org_id).await?;
    let s = settings::get(&state.db).await?;
    let on = match on {
        Some(on) => on,
        None => next_award_days(calendar::today(), &s.membership_rules.badge_award_days, 1)
            .first()
            .copied()
            .unwrap_or_else(calendar::today),
    };
    let items = rewards::badges::candidates(&state.db, &org.path, on, &s.membership_rules).await?;
    Ok((org, on, items))
}

/// The candidates' list printed as the committee's submission (PDF or DOCX).
pub async fn badge_list(
    state: &AppState,
    user: &SessionUser,
    org_id: Option<OrgId>,
    on: Option<NaiveDate>,
    format: &str,
) -> Result<axum::response::Response, AppError> {
    use crate::files::Format;
    let format = Format::document(format)?;
    let (org, on, items) = badge_candidates(state, user, org_id, on).await?;
    let list = dangvu_reports::BadgeList {
        audit_head: crate::files::audit_head(state).await?,
        org: org.name.clone(),
        award_day: on,
        on: calendar::today(),
        lines: items
            .iter()
            .map(|c| dangvu_reports::BadgeLine {
                full_name: c.full_name.clone(),
                cell: c.org_name.clone(),
                birth_year: Some(c.birth_date.year()),
                admitted_on: c.admitted_on,
                party_age: c.party_age.label(),
                milestone_years: c.milestone_years,
            })
            .collect(),
    };
    crate::files::printed(format, &format!("huy-hieu-dang-{on}"), move |format| match format {
        Format::Docx => dangvu_reports::badge_list_docx(&list),
        _ => dangvu_reports::badge_list_pdf(&list),
    })
    .await
}

// ------------------------------------------------------------------ awards

/// An award as the input gives it.
pub struct AwardInput {
    pub org_id: Option<OrgId>,
    pub kind: String,
    pub title: String,
    pub decided_on: NaiveDate,
    pub ceremony_on: Option<NaiveDate>,
    pub document_id: Option<i64>,
    pub campaign_id: Option<i64>,
    pub recipients: Vec<NewRecipient>,
}

pub fn parse_kind(raw: &str) -> Result<AwardKind, AppError> {
    AwardKind::parse(raw.trim())
        .ok_or_else(|| AppError::invalid("kind", "Hình thức là badge, certificate, merit, flag hoặc title"))
}

/// Records an award decided by an organisation in scope, for recipients of its subtree.
pub async fn record_award(state: &AppState, user: &SessionUser, input: AwardInput) -> Result<Award, AppError> {
    require_keeper(user)?;
    let kind = parse_kind(&input.kind)?;
    let org_id = deciding_org(state, user, input.org_id).await?;
    if let Some(doc) = input.document_id {
        match crate::tasks::visible_document(state, user, doc).await {
            Ok(_) => {}
            Err(AppError::NotFound) => return Err(AppError::invalid("document_id", "Không có văn bản này trong sổ")),
            Err(e) => return Err(e),
        }
    }
    if let Some(campaign) = input.campaign_id {
        readable_campaign(state, user, campaign)
            .await
            .map_err(|_| AppError::invalid("campaign_id", "Không có phong trào thi đua này"))?;
    }
    let s = settings::get(&state.db).await?;
    let new = NewAward {
        org_id,
        kind,
        title: input.title,
        decided_on: input.decided_on,
        ceremony_on: input.ceremony_on,
        document_id: input.document_id,
        proposal_id: None,
        campaign_id: input.campaign_id,
        recipients: input.recipients,
    };
    let id = in_tx(state, async |tx| awards::record(tx, &actor(user), new, &s.membership_rules).await).await?;
    awards::get(&state.db, id).await?.ok_or(AppError::NotFound)
}

/// The badge decision from the candidates' page: the decision registered as a document (when
/// its number is given) and the badges recorded, in one transaction.
pub async fn record_badge_decision(
    state: &AppState,
    user: &SessionUser,
    org_id: Option<OrgId>,
    number: &str,
    decided_on: NaiveDate,
    title: String,
    recipients: Vec<NewRecipient>,
) -> Result<Award, AppError> {
    require_keeper(user)?;
    let org_id = deciding_org(state, user, org_id).await?;
    let s = settings::get(&state.db).await?;
    let id = in_tx(state, async |tx| {
        let document_id = if number.trim().is_empty() {
            None
        } else {
            let doc = NewDocument {
                number: number.to_owned(),
                title: title.clone(),
                issued_on: decided_on,
                org_id: Some(org_id),
                congress_id: None,
            };
            Some(documents::create(tx, &actor(user), doc).await.map_err(|e| e.renamed("number", "decision_number"))?.id)
        };
        let new = NewAward {
            org_id,
            kind: AwardKind::Badge,
            title,
            decided_on,
            ceremony_on: None,
            document_id,
            proposal_id: None,
            campaign_id: None,
            recipients,
        };
        awards::record(tx, &actor(user), new, &s.membership_rules).await
    })
    .await?;
    awards::get(&state.db, id).await?.ok_or(AppError::NotFound)
}

/// The organisation that decides: the one named, in scope; otherwise the account's own, or the
/// top of its scope for an account of the whole tree.
async fn deciding_org(state: &AppState, user: &SessionUser, given: Option<OrgId>) -> Result<OrgId, AppError> {
    let org_id = match given.or(user.user.org_id) {
        Some(id) => id,
        None => scope_org(state, user, None).await?.id,
    };
    crate::scope::org_field(state, user, org_id, "org_id").await?;
    Ok(org_id)
}

/// An award whose deciding organisation the account sees.
pub async fn award(state: &AppState, user: &SessionUser, id: i64) -> Result<Award, AppError> {
    require_reader(user)?;
    let path = awards::decider_path(&state.db, id).await?.ok_or(AppError::NotFound)?;
    if !sees(state, user, &path).await? {
        return Err(AppError::NotFound);
    }
    awards::get(&state.db, id).await?.ok_or(AppError::NotFound)
}

pub async fn set_ceremony(state: &AppState, user: &SessionUser, id: i64, on: NaiveDate) -> Result<Award, AppError> {
    award(state, user, id).await?;
    require_keeper(user)?;
    in_tx(state, async |tx| awards::set_ceremony(tx, &actor(user), id, on).await).await?;
    award(state, user, id).await
}

/// A member's awards and badges: for whoever reads the member's record.
pub async fn member_awards(state: &AppState, user: &SessionUser, id: MemberId) -> Result<Vec<MemberAward>, AppError> {
    crate::members::visible_member(state, user, id).await?;
    Ok(awards::of_member(&state.db, id).await?)
}

pub async fn org_awards(
    state: &AppState,
    user: &SessionUser,
    org_id: Option<OrgId>,
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
    kind: Option<&str>,
) -> Result<(Org, Vec<AwardSummary>), AppError> {
    let org = rewards_org(state, user, org_id).await?;
    let kind = kind.filter(|k| !k.is_empty()).map(parse_kind).transpose()?;
    let items = awards::of_subtree(&state.db, &org.path, from, to, kind, 500).await?;
    Ok((org, items))
}

/// The period of the figures: 1 January of `to`'s year to `to` (today) by default.
pub fn period(from: Option<NaiveDate>, to: Option<NaiveDate>) -> Result<(NaiveDate, NaiveDate), AppError> {
    let to = to.unwrap_or_else(calendar::today);
    let from = from.unwrap_or_else(|| NaiveDate::from_ymd_opt(to.year(), 1, 1).unwrap_or(to));
    if from > to {
        return Err(AppError::invalid("from", "Từ ngày sau đến ngày"));
    }
    Ok((from, to))
}

pub async fn figures(
    state: &AppState,
    user: &SessionUser,
    org_id: Option<OrgId>,
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
) -> Result<(Org, AwardFigures), AppError> {
    let org = rewards_org(state, user, org_id).await?;
    let (from, to) = period(from, to)?;
    let f = rewards::figures::figures(&state.db, &org.path, from, to).await?;
    Ok((org, f))
}

pub async fn figures_xlsx(
    state: &AppState,
    user: &SessionUser,
    org_id: Option<OrgId>,
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
) -> Result<axum::response::Response, AppError> {
    use crate::files::Format;
    let (org, f) = figures(state, user, org_id, from, to).await?;
    let sheet = dangvu_reports::AwardFiguresSheet {
        org: org.name,
        from: f.from,
        to: f.to,
        lines: f
            .rows
            .iter()
            .map(|r| dangvu_reports::AwardLine {
                org: r.org_name.clone(),
                kind: r.kind_label.to_owned(),
                awards: r.awards,
                collectives: r.collectives,
                individuals: r.individuals,
            })
            .collect(),
    };
    crate::files::printed(Format::Xlsx, &format!("khen-thuong-{}-{}", f.from, f.to), move |_| {
        dangvu_reports::award_figures_xlsx(&sheet)
    })
    .await
}

// ------------------------------------------------------------------ proposals

pub struct ProposalInput {
    pub org_id: Option<OrgId>,
    pub to_org_id: Option<OrgId>,
    pub kind: String,
    pub title: String,
    pub year: Option<i32>,
    pub campaign_id: Option<i64>,
}

/// A unit in scope proposes to its own committee or one above (the parent by default).
pub async fn create_proposal(state: &AppState, user: &SessionUser, input: ProposalInput) -> Result<Proposal, AppError> {
    require_keeper(user)?;
    let kind = parse_kind(&input.kind)?;
    let org_id = own_org(user, input.org_id, "org_id")?;
    crate::scope::org_field(state, user, org_id, "org_id").await?;
    let org = visible_org(state, user, org_id, calendar::today()).await?;
    let to_org_id = input.to_org_id.or(org.parent_id).unwrap_or(org.id);
    let year = input.year.unwrap_or_else(|| calendar::today().year());
    let new = NewProposal { org_id, to_org_id, kind, title: input.title, year, campaign_id: input.campaign_id };
    if let Some(campaign) = input.campaign_id {
        readable_campaign(state, user, campaign)
            .await
            .map_err(|_| AppError::invalid("campaign_id", "Không có phong trào thi đua này"))?;
    }
    let id = in_tx(state, async |tx| proposals::create(tx, &actor(user), new).await).await?;
    proposals::get(&state.db, id).await?.ok_or(AppError::NotFound)
}

/// Who the account is to a proposal: the proposing unit (its scope holds the unit), the
/// deciding level (its scope holds the level), or both.
struct Sides {
    unit: bool,
    decider: bool,
}

async fn sides(state: &AppState, user: &SessionUser, id: i64) -> Result<Sides, AppError> {
    require_reader(user)?;
    let (unit, decider) = proposals::paths(&state.db, id).await?.ok_or(AppError::NotFound)?;
    let sides = Sides { unit: sees(state, user, &unit).await?, decider: sees(state, user, &decider).await? };
    if !sides.unit && !sides.decider {
        return Err(AppError::NotFound);
    }
    Ok(sides)
}

pub async fn proposal(state: &AppState, user: &SessionUser, id: i64) -> Result<Proposal, AppError> {
    sides(state, user, id).await?;
    proposals::get(&state.db, id).await?.ok_or(AppError::NotFound)
}

pub async fn proposal_list(
    state: &AppState,
    user: &SessionUser,
    org_id: Option<OrgId>,
) -> Result<(Org, Vec<ProposalSummary>), AppError> {
    let org = rewards_org(state, user, org_id).await?;
    Ok((org.clone(), proposals::of_subtree(&state.db, &org.path, 200).await?))
}

pub async fn add_item(
    state: &AppState,
    user: &SessionUser,
    id: i64,
    item: NewProposalItem,
) -> Result<Proposal, AppError> {
    if !sides(state, user, id).await?.unit {
        return Err(AppError::Forbidden("Chỉ đơn vị đề nghị sửa tờ trình".into()));
    }
    require_keeper(user)?;
    in_tx(state, async |tx| proposals::add_item(tx, &actor(user), id, item).await).await?;
    proposal(state, user, id).await
}

pub async fn remove_item(state: &AppState, user: &SessionUser, id: i64, item_id: i64) -> Result<Proposal, AppError> {
    if !sides(state, user, id).await?.unit {
        return Err(AppError::Forbidden("Chỉ đơn vị đề nghị sửa tờ trình".into()));
    }
    require_keeper(user)?;
    in_tx(state, async |tx| proposals::remove_item(tx, &actor(user), id, item_id).await).await?;
    proposal(state, user, id).await
}

/// A step: the unit submits or withdraws; the deciding level returns, rejects or decides.
pub async fn proposal_step(
    state: &AppState,
    user: &SessionUser,
    id: i64,
    step: ProposalStep,
) -> Result<Proposal, AppError> {
    let sides = sides(state, user, id).await?;
    require_keeper(user)?;
    let allowed = match step.event {
        Event::Submit | Event::Withdraw => sides.unit,
        Event::Return | Event::Reject | Event::Decide => sides.decider,
    };
    if !allowed {
        return Err(AppError::Forbidden(match step.event {
            Event::Submit | Event::Withdraw => "Chỉ đơn vị đề nghị trình hoặc rút tờ trình".into(),
            _ => "Chỉ cấp quyết định xét tờ trình".into(),
        }));
    }
    let s = settings::get(&state.db).await?;
    in_tx(state, async |tx| proposals::take_step(tx, &actor(user), id, step, &s.membership_rules).await).await?;
    proposal(state, user, id).await
}

// ------------------------------------------------------------------ campaigns

/// A campaign the account reads: launched in its subtree, or above it (it covers the account).
pub async fn readable_campaign(state: &AppState, user: &SessionUser, id: i64) -> Result<Campaign, AppError> {
    require_reader(user)?;
    let path = campaigns::launcher_path(&state.db, id).await?.ok_or(AppError::NotFound)?;
    if !sees(state, user, &path).await? && !covered_by(user, &path) {
        return Err(AppError::NotFound);
    }
    campaigns::get(&state.db, id).await?.ok_or(AppError::NotFound)
}

pub async fn launch_campaign(state: &AppState, user: &SessionUser, new: NewCampaign) -> Result<Campaign, AppError> {
    require_keeper(user)?;
    crate::scope::org_field(state, user, new.org_id, "org_id").await?;
    let id = in_tx(state, async |tx| campaigns::launch(tx, &actor(user), new).await).await?;
    campaigns::get(&state.db, id).await?.ok_or(AppError::NotFound)
}

pub async fn campaign_list(
    state: &AppState,
    user: &SessionUser,
    org_id: Option<OrgId>,
) -> Result<(Org, Vec<Campaign>), AppError> {
    let org = rewards_org(state, user, org_id).await?;
    Ok((org.clone(), campaigns::concerning(&state.db, &org.path, 200).await?))
}

/// What a unit does in a campaign.
pub enum UnitAct {
    Register(String),
    Report(String),
}

/// A unit of the account's scope registers or reports (its own organisation by default).
pub async fn campaign_unit(
    state: &AppState,
    user: &SessionUser,
    id: i64,
    org_id: Option<OrgId>,
    act: UnitAct,
) -> Result<Campaign, AppError> {
    readable_campaign(state, user, id).await?;
    require_keeper(user)?;
    let org_id = own_org(user, org_id, "org_id")?;
    crate::scope::org_field(state, user, org_id, "org_id").await?;
    in_tx(state, async |tx| match &act {
        UnitAct::Register(pledge) => campaigns::register(tx, &actor(user), id, org_id, pledge).await,
        UnitAct::Report(result) => campaigns::report(tx, &actor(user), id, org_id, result).await,
    })
    .await?;
    readable_campaign(state, user, id).await
}

/// The launching committee (an account whose scope holds it) sums the campaign up.
pub async fn close_campaign(
    state: &AppState,
    user: &SessionUser,
    id: i64,
    summary: &str,
) -> Result<Campaign, AppError> {
    readable_campaign(state, user, id).await?;
    require_keeper(user)?;
    let path = campaigns::launcher_path(&state.db, id).await?.ok_or(AppError::NotFound)?;
    if !sees(state, user, &path).await? {
        return Err(AppError::Forbidden("Chỉ cấp phát động tổng kết phong trào".into()));
    }
    in_tx(state, async |tx| campaigns::close(tx, &actor(user), id, summary).await).await?;
    readable_campaign(state, user, id).await
}

pub fn router() -> crate::Routes {
    crate::Routes { api: api::router(), pages: pages::router() }
}
