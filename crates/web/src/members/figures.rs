//! The figures of members of a subtree: on a day by status, gender, age band and party-age
//! band, and the admissions, recognitions, departures and transfers of a period.

use chrono::{Datelike, NaiveDate};
use dangvu_domain::ids::OrgId;
use dangvu_store::members::figures::{MemberFigures, MemberFlows, flows, on_day};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::AppState;
use crate::error::AppError;
use crate::scope::{date_or_today, visible_org};

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct FiguresParams {
    /// The day of the figures (YYYY-MM-DD); today when absent.
    pub on: Option<String>,
    /// The period of the flows; 1 January of `on`'s year when absent.
    pub from: Option<String>,
    /// `on` when absent.
    pub to: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct OrgMemberFigures {
    #[schema(value_type = i64)]
    pub org_id: OrgId,
    pub name: String,
    pub figures: MemberFigures,
    pub flows: MemberFlows,
}

/// The period of flows from the query: `from`..`to`, defaulting to the year so far.
pub fn period(p: &FiguresParams, on: NaiveDate) -> Result<(NaiveDate, NaiveDate), AppError> {
    let from = match p.from.as_deref().filter(|s| !s.trim().is_empty()) {
        Some(_) => date_or_today(p.from.as_deref(), "from")?,
        None => NaiveDate::from_ymd_opt(on.year(), 1, 1).unwrap_or(on),
    };
    let to = match p.to.as_deref().filter(|s| !s.trim().is_empty()) {
        Some(_) => date_or_today(p.to.as_deref(), "to")?,
        None => on,
    };
    if to < from {
        return Err(AppError::invalid("to", "Ngày cuối trước ngày đầu"));
    }
    Ok((from, to))
}

/// Shared with the page.
pub async fn figures_of(
    state: &AppState,
    user: &dangvu_store::accounts::SessionUser,
    id: OrgId,
    p: &FiguresParams,
) -> Result<OrgMemberFigures, AppError> {
    if user.user.role == dangvu_domain::accounts::Role::Member {
        return Err(AppError::forbidden());
    }
    let on = date_or_today(p.on.as_deref(), "on")?;
    let (from, to) = period(p, on)?;
    let org = visible_org(state, user, id, on).await?;
    let rules = dangvu_store::settings::get(&state.db).await?.membership_rules;
    let figures = on_day(&state.db, &org.path, on, &rules).await?;
    let flows = flows(&state.db, &org.path, from, to).await?;
    Ok(OrgMemberFigures { org_id: org.id, name: org.name, figures, flows })
}
