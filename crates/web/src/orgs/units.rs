//! The units a form names: an organisation or a body of one (a board, the office, a đảng đoàn …),
//! shown and typed as their name beside their parent's — "Chi bộ Văn phòng · Đảng bộ Sở Tài chính",
//! "Ban Tổ chức Tỉnh ủy · Đảng bộ tỉnh Nghệ An" — so that a clerk sees what they choose and never
//! types a code (a code is still understood, for those who know them).

use chrono::NaiveDate;
use dangvu_domain::calendar;
use dangvu_domain::ids::OrgId;
use dangvu_domain::text::{clean, fold};
use dangvu_store::accounts::SessionUser;
use dangvu_store::orgs;

use crate::AppState;
use crate::error::AppError;
use crate::scope::{Seen, org_field, seen_on};

/// What a unit field names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UnitRef {
    Org(OrgId),
    Body(i64),
}

/// Between a unit's name and its parent's.
pub const SEPARATOR: &str = " · ";

/// The label a form shows for a unit: its name and its parent's (an organisation's parent, a
/// body's organisation).
pub async fn label(state: &AppState, unit: UnitRef, on: NaiveDate) -> Result<String, AppError> {
    let (name, parent) = match unit {
        UnitRef::Org(id) => {
            let org = orgs::get(&state.db, id, on).await?.ok_or(AppError::NotFound)?;
            let parent = match org.parent_id {
                Some(p) => orgs::names(&state.db, &[p], on).await?.remove(&p),
                None => None,
            };
            (org.name, parent)
        }
        UnitRef::Body(id) => {
            let body = orgs::body(&state.db, id).await?.ok_or(AppError::NotFound)?;
            let parent = orgs::names(&state.db, &[body.org_id], on).await?.remove(&body.org_id);
            (body.name, parent)
        }
    };
    Ok(match parent {
        Some(p) => format!("{name}{SEPARATOR}{p}"),
        None => name,
    })
}

/// The labels of several units, joined as a multi-unit field shows them.
pub async fn labels(state: &AppState, units: &[UnitRef], on: NaiveDate) -> Result<String, AppError> {
    let mut out = Vec::with_capacity(units.len());
    for u in units {
        out.push(label(state, *u, on).await?);
    }
    Ok(out.join("; "))
}

/// The unit a field names, in the account's scope: a label as [`label`] writes it, an
/// organisation's code, or a name that only one unit of the scope carries.
pub async fn parse_one(state: &AppState, user: &SessionUser, text: &str, field: &str) -> Result<UnitRef, AppError> {
    let today = calendar::today();
    let text = clean(text);
    if text.is_empty() {
        return Err(AppError::invalid(field, "Hãy chọn đơn vị"));
    }
    let seen = seen_on(state, user, today).await?;
    let found = match text.split_once(SEPARATOR.trim()) {
        Some((name, parent)) => by_label(state, &seen, name.trim(), parent.trim(), today).await?,
        None => by_code_or_name(state, &seen, &text, today).await?,
    };
    let unit = match found.as_slice() {
        [one] => *one,
        [] => return Err(AppError::invalid(field, format!("Không có đơn vị “{text}” trong phạm vi của bạn"))),
        _ => {
            return Err(AppError::invalid(
                field,
                format!("Có nhiều đơn vị mang tên “{text}”: hãy chọn trong danh sách gợi ý"),
            ));
        }
    };
    let org = match unit {
        UnitRef::Org(id) => id,
        UnitRef::Body(id) => orgs::body(&state.db, id).await?.ok_or(AppError::NotFound)?.org_id,
    };
    org_field(state, user, org, field).await?;
    Ok(unit)
}

/// The units of a multi-unit field: labels separated by `;` or new lines (codes also by
/// commas).
pub async fn parse_many(
    state: &AppState,
    user: &SessionUser,
    text: &str,
    field: &str,
) -> Result<Vec<UnitRef>, AppError> {
    let mut out = Vec::new();
    for piece in text.split([';', '\n']).map(str::trim).filter(|p| !p.is_empty()) {
        let parts: Vec<&str> = if piece.contains(SEPARATOR.trim()) {
            vec![piece]
        } else {
            piece.split(',').map(str::trim).filter(|p| !p.is_empty()).collect()
        };
        for part in parts {
            let unit = parse_one(state, user, part, field).await?;
            if !out.contains(&unit) {
                out.push(unit);
            }
        }
    }
    Ok(out)
}

/// The organisations a label names ("Chi bộ Văn phòng · Đảng bộ Sở Tài chính"), in the whole
/// tree as on `on`: the caller checks the scope (and answers the same whether the organisation
/// is outside it or does not exist). None when `text` is no label.
pub async fn orgs_by_label(state: &AppState, text: &str, on: NaiveDate) -> Result<Option<Vec<OrgId>>, AppError> {
    let text = clean(text);
    let Some((name, parent)) = text.split_once(SEPARATOR.trim()) else { return Ok(None) };
    let found = by_label(state, &Seen::All, name.trim(), parent.trim(), on).await?;
    Ok(Some(
        found
            .into_iter()
            .filter_map(|u| match u {
                UnitRef::Org(o) => Some(o),
                UnitRef::Body(_) => None,
            })
            .collect(),
    ))
}

/// The label of the account's own cell, when its scope is one: the cell a secretary imports
/// into or opens a case in, filled in so that it is not typed.
pub async fn own_cell_label(state: &AppState, user: &SessionUser) -> Result<String, AppError> {
    let today = calendar::today();
    let Some(id) = user.user.org_id else { return Ok(String::new()) };
    match orgs::get(&state.db, id, today).await? {
        Some(o) if o.kind.holds_members() && o.active => label(state, UnitRef::Org(o.id), today).await,
        _ => Ok(String::new()),
    }
}

/// The paths the account searches: its subtree, or every root.
async fn scope_paths(state: &AppState, seen: &Seen, on: NaiveDate) -> Result<Vec<String>, AppError> {
    Ok(match seen {
        Seen::All => orgs::roots(&state.db, on).await?.into_iter().map(|o| o.path).collect(),
        Seen::Below(p) => vec![p.clone()],
        Seen::Nothing => Vec::new(),
    })
}

async fn by_label(
    state: &AppState,
    seen: &Seen,
    name: &str,
    parent: &str,
    on: NaiveDate,
) -> Result<Vec<UnitRef>, AppError> {
    let mut found = Vec::new();
    for body in orgs::bodies_named(&state.db, name).await? {
        let Some(org) = orgs::get(&state.db, body.org_id, on).await? else { continue };
        if org.name == parent && seen.contains(&org.path) {
            found.push(UnitRef::Body(body.id));
        }
    }
    for path in scope_paths(state, seen, on).await? {
        for org in orgs::named(&state.db, &path, name, on).await? {
            let parent_name = match org.parent_id {
                Some(p) => orgs::names(&state.db, &[p], on).await?.remove(&p),
                None => None,
            };
            if parent_name.as_deref() == Some(parent) {
                found.push(UnitRef::Org(org.id));
            }
        }
    }
    Ok(found)
}

async fn by_code_or_name(state: &AppState, seen: &Seen, text: &str, on: NaiveDate) -> Result<Vec<UnitRef>, AppError> {
    let code = text.split_whitespace().next().unwrap_or_default();
    if let Some(org) = orgs::get_by_code(&state.db, code, on).await? {
        return Ok(vec![UnitRef::Org(org.id)]);
    }
    let mut found = Vec::new();
    for path in scope_paths(state, seen, on).await? {
        found.extend(orgs::named(&state.db, &path, text, on).await?.into_iter().map(|o| UnitRef::Org(o.id)));
        found.extend(
            orgs::bodies_near(&state.db, &path, on)
                .await?
                .into_iter()
                .filter(|b| b.body.name == text)
                .map(|b| UnitRef::Body(b.body.id)),
        );
    }
    Ok(found)
}

/// What the picker offers for the words typed: the bodies near the account's scope whose
/// name holds them, then the organisations of the scope, each as its label.
pub async fn suggestions(
    state: &AppState,
    user: &SessionUser,
    q: &str,
    with_bodies: bool,
) -> Result<Vec<(String, String)>, AppError> {
    let today = calendar::today();
    let wanted = fold(q.trim());
    if wanted.chars().count() < 2 {
        return Ok(Vec::new());
    }
    let seen = seen_on(state, user, today).await?;
    let mut out = Vec::new();
    for path in scope_paths(state, &seen, today).await? {
        let bodies = if with_bodies { orgs::bodies_near(&state.db, &path, today).await? } else { Vec::new() };
        for b in bodies {
            if fold(&b.body.name).contains(&wanted) && out.len() < 10 {
                out.push((format!("{}{SEPARATOR}{}", b.body.name, b.org_name), b.body.kind.label().to_owned()));
            }
        }
        let found = orgs::search(&state.db, &path, q, today, 20).await?;
        let parents: Vec<OrgId> = found.iter().filter_map(|o| o.parent_id).collect();
        let names = orgs::names(&state.db, &parents, today).await?;
        for o in found {
            let label = match o.parent_id.and_then(|p| names.get(&p)) {
                Some(p) => format!("{}{SEPARATOR}{p}", o.name),
                None => o.name.clone(),
            };
            out.push((label, o.kind.label().to_owned()));
        }
    }
    out.truncate(30);
    Ok(out)
}
