//! From a meeting's conclusion to its tasks: the office reviews the draft that dangvu
//! reads from the text, corrects it, and confirms; all the tasks are then assigned at once.

use std::collections::BTreeMap;

use askama::Template;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect};
use dangvu_domain::calendar;
use dangvu_domain::tasks::Recurrence;
use dangvu_domain::validation::FieldError;
use dangvu_store::accounts::SessionUser;
use dangvu_store::orgs;
use dangvu_store::tasks::meetings::Meeting;

use crate::AppState;
use crate::error::AppError;
use crate::orgs::units::{self, UnitRef};
use crate::pages::{Layout, PageForm, PageId, PageResult, PageUser, render_with};
use crate::tasks::drafts::{Confirmed, assign_confirmed, draftable, matched};

/// One row of the draft, as the form shows it and as it comes back.
#[derive(Debug, Clone, Default)]
pub struct DraftRow {
    pub n: usize,
    pub include: bool,
    pub title: String,
    pub lead_code: String,
    pub support_codes: String,
    pub due_on: String,
    pub recurrence: String,
    /// Names in the text that match no organisation: the office chooses.
    pub unmatched: Vec<String>,
    pub due_text: String,
    pub warnings: Vec<String>,
}

#[derive(Template)]
#[template(path = "tasks/draft.html")]
struct DraftPage {
    layout: Layout,
    meeting_id: i64,
    meeting_title: String,
    rows: Vec<DraftRow>,
    recurrences: Vec<(&'static str, &'static str)>,
    errors: Vec<FieldError>,
}

/// `GET /meetings/{id}/draft`: the tasks read from the conclusion, for review.
pub async fn show(State(state): State<AppState>, PageUser(user): PageUser, PageId(id): PageId) -> PageResult {
    let meeting = draftable(&state, &user, id).await?;
    let host = orgs::get(&state.db, meeting.org_id, calendar::today()).await?.ok_or(AppError::NotFound)?;
    let drafts = dangvu_domain::tasks::conclusion::extract(&meeting.conclusion, meeting.held_on);
    let drafts = matched(&state, &host.path, drafts).await?;
    let today = calendar::today();
    let mut rows = Vec::with_capacity(drafts.len());
    for (n, d) in drafts.into_iter().enumerate() {
        let mut unmatched: Vec<String> =
            d.lead.iter().chain(&d.support).filter(|u| unit_of(u).is_none()).map(|u| u.name.clone()).collect();
        unmatched.dedup();
        let lead = match d.lead.iter().find_map(unit_of) {
            Some(u) => units::label(&state, u, today).await?,
            None => String::new(),
        };
        let support: Vec<UnitRef> = d.support.iter().filter_map(unit_of).collect();
        rows.push(DraftRow {
            n,
            include: true,
            title: d.text,
            lead_code: lead,
            support_codes: units::labels(&state, &support, today).await?,
            due_on: d.due_on.map(|x| x.format("%Y-%m-%d").to_string()).unwrap_or_default(),
            recurrence: d.recurrence.unwrap_or_default(),
            unmatched,
            due_text: d.due_text.unwrap_or_default(),
            warnings: d.warnings,
        });
    }
    Ok(page(&user, &meeting, rows, Vec::new()))
}

/// The unit a name of the text was matched to: a body first, else an organisation.
fn unit_of(u: &crate::tasks::drafts::Unit) -> Option<UnitRef> {
    u.body_id.map(UnitRef::Body).or(u.org_id.map(UnitRef::Org))
}

fn page(
    user: &SessionUser,
    meeting: &Meeting,
    rows: Vec<DraftRow>,
    errors: Vec<FieldError>,
) -> axum::response::Response {
    let status = crate::pages::form_status(&errors);
    render_with(
        status,
        &DraftPage {
            layout: Layout::new(user, "meetings"),
            meeting_id: meeting.id,
            meeting_title: meeting.title.clone(),
            rows,
            recurrences: Recurrence::ALL.iter().map(|r| (r.as_str(), r.label())).collect(),
            errors,
        },
    )
}

/// Reads the rows back from the form: `title_3`, `lead_3`, `include_3` …
fn rows_of(form: &[(String, String)]) -> Vec<DraftRow> {
    let mut rows: BTreeMap<usize, DraftRow> = BTreeMap::new();
    for (key, value) in form {
        let Some((field, n)) = key.rsplit_once('_') else { continue };
        let Ok(n) = n.parse::<usize>() else { continue };
        if n >= 500 {
            continue;
        }
        let row = rows.entry(n).or_insert_with(|| DraftRow { n, ..DraftRow::default() });
        match field {
            "include" => row.include = true,
            "title" => row.title = value.clone(),
            "lead" => row.lead_code = value.clone(),
            "support" => row.support_codes = value.clone(),
            "due" => row.due_on = value.clone(),
            "recurrence" => row.recurrence = value.clone(),
            _ => {}
        }
    }
    rows.into_values().collect()
}

/// `POST /meetings/{id}/draft`: assigns every included row, all or none.
pub async fn confirm(
    State(state): State<AppState>,
    PageId(id): PageId,
    f: PageForm<Vec<(String, String)>>,
) -> PageResult {
    let PageForm { user, form } = f;
    let rows = rows_of(&form);
    let confirmed = rows
        .iter()
        .filter(|r| r.include)
        .map(|r| Confirmed {
            n: r.n,
            title: &r.title,
            lead_code: &r.lead_code,
            support_codes: &r.support_codes,
            due_on: &r.due_on,
            recurrence: &r.recurrence,
        })
        .collect();
    match assign_confirmed(&state, &user, id, confirmed).await {
        Ok(()) => Ok(Redirect::to(&format!("/meetings/{id}?done=tasks")).into_response()),
        Err(AppError::Invalid(fields)) => {
            let meeting = draftable(&state, &user, id).await?;
            Ok(page(&user, &meeting, rows, fields))
        }
        Err(e) => Err(e.into()),
    }
}
