//! Admission cases for the API and pages: who may read and keep them, each case with its
//! steps as of today under the rules and holidays in force, and the use cases that open,
//! record, close them and set the yearly targets.

use chrono::NaiveDate;
use dangvu_domain::calendar;
use dangvu_domain::ids::OrgId;
use dangvu_domain::members::AdmissionCase;
use dangvu_domain::members::{
    AdmissionStep, HolidayCalendar, MembershipRules, StepProgress, StepState, admission_progress,
};
use dangvu_store::accounts::SessionUser;
use dangvu_store::members::admissions::{self, Admission, NewAdmission};
use dangvu_store::members::figures::admitted_by_path;
use dangvu_store::orgs;
use serde::Serialize;
use utoipa::ToSchema;

use crate::AppState;
use crate::error::AppError;
use crate::members::registry::Change;
use crate::members::require_keeper;
use crate::scope::{org_field, visible_org};
use crate::usecase::{actor, in_tx};

/// A case with where each step stands today.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AdmissionView {
    #[serde(flatten)]
    pub admission: Admission,
    /// Every step in order, done, due, late or not yet.
    pub steps: Vec<StepProgress>,
    /// Where the case stands: a step past its deadline first, else one whose deadline runs,
    /// else the first step not done (none once recognised or stopped). Steps without a
    /// deadline (the grassroots resolution) do not hide the decision that is late behind them.
    pub current: Option<StepProgress>,
    /// `open`, `late` (some step is past its deadline), `official` or `closed`.
    pub state: String,
}

impl AdmissionView {
    pub fn new(admission: Admission, today: NaiveDate, rules: &MembershipRules, holidays: &HolidayCalendar) -> Self {
        let steps = admission_progress(&admission.case, today, rules, holidays);
        let finished = admission.closed_on.is_some() || admission.case.recognition_decision_on.is_some();
        let first = |state: StepState| steps.iter().find(|s| s.state == state).copied();
        let current = if finished {
            None
        } else {
            first(StepState::Late)
                .or_else(|| first(StepState::Due))
                .or_else(|| steps.iter().find(|s| s.state != StepState::Done).copied())
        };
        let state = if admission.closed_on.is_some() {
            "closed"
        } else if admission.case.recognition_decision_on.is_some() {
            "official"
        } else if steps.iter().any(|s| s.state == StepState::Late) {
            "late"
        } else {
            "open"
        };
        AdmissionView { admission, steps, current, state: state.into() }
    }

    /// The label of the step the case stands at.
    pub fn current_label(&self) -> &'static str {
        self.current.map(|s| s.step.label()).unwrap_or_else(|| match self.state.as_str() {
            "official" => "Đã là đảng viên chính thức",
            _ => "Đã dừng",
        })
    }

    pub fn is_late(&self) -> bool {
        self.state == "late"
    }
}

/// The label of a step, for templates.
pub fn step_label(step: AdmissionStep) -> &'static str {
    step.label()
}

/// Identity fields only for the roles that keep records (as for members).
pub fn redact(user: &SessionUser, mut a: Admission) -> Admission {
    if !user.user.role.sees_member_identity() {
        a.national_id = None;
        a.phone = None;
    }
    a
}

/// A case whose cell is in the account's scope.
pub async fn visible_admission(state: &AppState, user: &SessionUser, id: i64) -> Result<Admission, AppError> {
    if user.user.role == dangvu_domain::accounts::Role::Member {
        return Err(AppError::NotFound);
    }
    let a = admissions::get(&state.db, id).await?.ok_or(AppError::NotFound)?;
    visible_org(state, user, a.org_id, calendar::today()).await?;
    Ok(redact(user, a))
}

/// The cases of a subtree as views, filtered by state (`open`, `late`, `due`, `all`).
pub async fn list(
    state: &AppState,
    user: &SessionUser,
    path: &str,
    filter: &str,
    q: Option<&str>,
) -> Result<Vec<AdmissionView>, AppError> {
    let which = if filter == "all" { admissions::Which::All } else { admissions::Which::Open };
    let today = calendar::today();
    let settings = dangvu_store::settings::get(&state.db).await?;
    let cases = admissions::list(&state.db, path, which, q, today).await?;
    Ok(cases
        .into_iter()
        .map(|a| AdmissionView::new(redact(user, a), today, &settings.membership_rules, &settings.holidays))
        .filter(|v| match filter {
            "late" => v.is_late(),
            "due" => v.current.is_some_and(|s| s.state == StepState::Due),
            _ => true,
        })
        .collect())
}

/// One line of the admissions report: a unit, its target and what it admitted.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct UnitAdmissions {
    #[schema(value_type = i64)]
    pub org_id: OrgId,
    pub name: String,
    pub target: Option<i64>,
    pub admitted: i64,
    /// `admitted / target` in percent, when there is a target.
    pub percent: Option<i64>,
}

/// Admissions of a year (or up to today in the current year) by unit directly below `org`,
/// against their targets, and for `org` as a whole.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AdmissionsReport {
    pub year: i32,
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub total: UnitAdmissions,
    pub units: Vec<UnitAdmissions>,
}

pub async fn report(state: &AppState, org: &orgs::Org, year: i32) -> Result<AdmissionsReport, AppError> {
    let from = NaiveDate::from_ymd_opt(year, 1, 1).ok_or_else(|| AppError::invalid("year", "Năm không hợp lệ"))?;
    let to = NaiveDate::from_ymd_opt(year, 12, 31).ok_or_else(|| AppError::invalid("year", "Năm không hợp lệ"))?;
    let today = calendar::today();
    let children = orgs::children(&state.db, org.id, today.min(to), 0, 500).await?;
    let by_path = admitted_by_path(&state.db, &org.path, from, to).await?;
    let mut ids: Vec<OrgId> = children.iter().map(|c| c.id).collect();
    ids.push(org.id);
    let targets = admissions::targets(&state.db, &ids, year).await?;
    let target_of = |id: OrgId| targets.iter().find(|(o, _)| *o == id).map(|(_, t)| *t);
    let line = |org_id: OrgId, name: &str, admitted: i64| {
        let target = target_of(org_id);
        UnitAdmissions {
            org_id,
            name: name.to_owned(),
            target,
            admitted,
            percent: target.filter(|t| *t > 0).map(|t| admitted * 100 / t),
        }
    };
    let units = children
        .iter()
        .map(|c| {
            let admitted =
                by_path.iter().filter(|(p, _)| dangvu_domain::orgs::tree::is_within(p, &c.path)).map(|(_, n)| n).sum();
            line(c.id, &c.name, admitted)
        })
        .collect();
    let total = line(org.id, &org.name, by_path.iter().map(|(_, n)| n).sum());
    Ok(AdmissionsReport { year, from, to, total, units })
}

/// The organisation a report is about: the one named, or the root of the account's scope.
pub async fn report_org(
    state: &AppState,
    user: &dangvu_store::accounts::SessionUser,
    org_id: Option<OrgId>,
    path: &str,
) -> Result<dangvu_store::orgs::Org, AppError> {
    let id = match org_id {
        Some(id) => id,
        None => dangvu_domain::orgs::tree::ids(path).last().copied().ok_or(AppError::NotFound)?,
    };
    visible_org(state, user, id, calendar::today()).await
}

/// Opens an admission case for a person in a cell of the account's subtree; answers its id.
pub async fn open(state: &AppState, user: &SessionUser, new: &NewAdmission) -> Result<i64, AppError> {
    require_keeper(user)?;
    org_field(state, user, new.org_id, "org_id").await?;
    let rules = dangvu_store::settings::get(&state.db).await?.membership_rules;
    in_tx(state, async |tx| admissions::create(tx, &actor(user), new, &rules).await).await
}

/// Records the dates of a case's steps. The ceremony puts the person in the registry as a
/// probationary member; the recognition decision makes them official.
pub async fn record_steps(
    state: &AppState,
    user: &SessionUser,
    id: i64,
    change: Change<AdmissionCase>,
) -> Result<(), AppError> {
    require_keeper(user)?;
    let current = visible_admission(state, user, id).await?;
    let case = change.applied_to(&current.case)?;
    let rules = dangvu_store::settings::get(&state.db).await?.membership_rules;
    in_tx(state, async |tx| admissions::update(tx, &actor(user), id, &case, &rules).await).await
}

/// Stops a case on `closed_on` (today when absent); its dates stay.
pub async fn close(
    state: &AppState,
    user: &SessionUser,
    id: i64,
    closed_on: Option<&str>,
    reason: &str,
) -> Result<(), AppError> {
    require_keeper(user)?;
    visible_admission(state, user, id).await?;
    let on = crate::scope::date_or_today(closed_on, "closed_on")?;
    in_tx(state, async |tx| admissions::close(tx, &actor(user), id, on, reason).await).await
}

/// Sets an organisation's admission target for a year (chỉ tiêu kết nạp); answers the
/// organisation.
pub async fn set_target(
    state: &AppState,
    user: &SessionUser,
    org_id: OrgId,
    year: i32,
    target: i64,
) -> Result<orgs::Org, AppError> {
    require_keeper(user)?;
    let org = visible_org(state, user, org_id, calendar::today()).await?;
    in_tx(state, async |tx| admissions::set_target(tx, &actor(user), org_id, year, target).await).await?;
    Ok(org)
}
