//! The organisation tree with its history.
//!
//! Every organisation has one row in `orgs` (what never changes: code, kind, founding
//! and end) and one row in `org_versions` per period with the same name and place in
//! the tree. A version stores its materialised path (`dangvu_domain::orgs::tree`), so a
//! subtree on any date is one index range: `path` between the root's path and its end,
//! `valid_from <= date < valid_to`. A move or merge closes the versions of the moved
//! subtree on the effective date and opens new ones under the new parent, with a few
//! set-based statements whatever the size of the subtree.

use dangvu_domain::audit::Action;
use dangvu_domain::ids::OrgId;
use std::collections::{BTreeMap, HashMap};

use chrono::NaiveDate;
use dangvu_domain::orgs::tree;
use dangvu_domain::orgs::{BodyKind, OrgKind, check_code, check_name, normalize_code, parent_problem};
use dangvu_domain::text::{clean, fold};
use dangvu_domain::validation::Problems;
use serde::Serialize;
use serde_json::json;
use utoipa::ToSchema;

use crate::audit::{self, Actor, Change, Subject};
use crate::{Db, Row, StoreError, Tx, Value, params};

/// An organisation as it stood on one date.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Org {
    #[schema(value_type = i64)]
    pub id: OrgId,
    pub code: String,
    pub name: String,
    #[schema(value_type = String, example = "committee")]
    pub kind: OrgKind,
    #[schema(value_type = Option<i64>)]
    pub parent_id: Option<OrgId>,
    /// 0 for the root of the tree.
    pub depth: i64,
    pub founded_on: NaiveDate,
    /// The day it was dissolved or merged; from that day on it no longer exists.
    pub ended_on: Option<NaiveDate>,
    /// `dissolved` or `merged`.
    pub end_reason: Option<String>,
    #[schema(value_type = Option<i64>)]
    pub merged_into_id: Option<OrgId>,
    /// False when, on the date asked, the organisation did not exist (not yet founded or ended).
    pub active: bool,
    #[serde(skip)]
    pub path: String,
}

const ORG_COLUMNS: &str = "o.id, o.code, v.name, o.kind, v.parent_id, v.depth, o.founded_on, o.ended_on, \
     o.end_reason, o.merged_into_id, v.path, v.valid_from, v.valid_to";

/// "in effect on $N": the condition on a version for a date parameter.
fn valid_on(alias: &str, n: usize) -> String {
    format!("{alias}.valid_from <= ${n} AND ({alias}.valid_to IS NULL OR {alias}.valid_to > ${n})")
}

fn org_from_row(r: &Row, on: NaiveDate) -> Result<Org, StoreError> {
    let kind = OrgKind::parse(&r.text(3)?).ok_or_else(|| StoreError::Decode("unknown org kind".into()))?;
    let valid_from = r.date(11)?;
    let valid_to = r.opt_date(12)?;
    Ok(Org {
        id: r.id(0)?,
        code: r.text(1)?,
        name: r.text(2)?,
        kind,
        parent_id: r.opt_id(4)?,
        depth: r.int(5)?,
        founded_on: r.date(6)?,
        ended_on: r.opt_date(7)?,
        end_reason: r.opt_text(8)?,
        merged_into_id: r.opt_id(9)?,
        path: r.text(10)?,
        active: valid_from <= on && valid_to.is_none_or(|t| t > on),
    })
}

/// The organisation as it stood on `on`. For a date outside its life, the nearest version:
/// the last one before the date, or the first one when it was founded later.
pub async fn get(db: &Db, id: OrgId, on: NaiveDate) -> Result<Option<Org>, StoreError> {
    let sql = format!(
        "SELECT {ORG_COLUMNS} FROM orgs o JOIN org_versions v ON v.org_id = o.id
         WHERE o.id = $1 AND v.valid_from <= $2 ORDER BY v.valid_from DESC LIMIT 1"
    );
    if let Some(r) = db.query_one(&sql, params![id, on]).await? {
        return org_from_row(&r, on).map(Some);
    }
    let sql = format!(
        "SELECT {ORG_COLUMNS} FROM orgs o JOIN org_versions v ON v.org_id = o.id
         WHERE o.id = $1 ORDER BY v.valid_from LIMIT 1"
    );
    db.query_one(&sql, params![id]).await?.map(|r| org_from_row(&r, on)).transpose()
}

pub async fn get_by_code(db: &Db, code: &str, on: NaiveDate) -> Result<Option<Org>, StoreError> {
    let row = db.query_one("SELECT id FROM orgs WHERE code = $1", params![normalize_code(code)]).await?;
    match row {
        Some(r) => get(db, r.id(0)?, on).await,
        None => Ok(None),
    }
}

/// The roots of the tree on `on` (normally one province).
pub async fn roots(db: &Db, on: NaiveDate) -> Result<Vec<Org>, StoreError> {
    let sql = format!(
        "SELECT {ORG_COLUMNS} FROM orgs o JOIN org_versions v ON v.org_id = o.id
         WHERE v.parent_id IS NULL AND {} ORDER BY o.id",
        valid_on("v", 1)
    );
    db.query(&sql, params![on]).await?.iter().map(|r| org_from_row(r, on)).collect()
}

/// One level of the tree: the children of `parent_id` on `on`, by id, after `after_id`.
pub async fn children(
    db: &Db,
    parent_id: OrgId,
    on: NaiveDate,
    after_id: i64,
    limit: i64,
) -> Result<Vec<Org>, StoreError> {
    let sql = format!(
        "SELECT {ORG_COLUMNS} FROM org_versions v JOIN orgs o ON o.id = v.org_id
         WHERE v.parent_id = $1 AND {} AND v.org_id > $3 ORDER BY v.org_id LIMIT $4",
        valid_on("v", 2)
    );
    db.query(&sql, params![parent_id, on, after_id, limit]).await?.iter().map(|r| org_from_row(r, on)).collect()
}

/// The subtree below `root` on `on`, down to `max_depth` levels, in path order, at most `limit` nodes.
pub async fn subtree(db: &Db, root: &Org, on: NaiveDate, max_depth: i64, limit: i64) -> Result<Vec<Org>, StoreError> {
    let sql = format!(
        "SELECT {ORG_COLUMNS} FROM org_versions v JOIN orgs o ON o.id = v.org_id
         WHERE v.path > $1 AND v.path < $2 AND {} AND v.depth <= $4 ORDER BY v.path LIMIT $5",
        valid_on("v", 3)
    );
    let end = tree::subtree_end(&root.path);
    db.query(&sql, params![root.path.as_str(), end, on, root.depth + max_depth, limit])
        .await?
        .iter()
        .map(|r| org_from_row(r, on))
        .collect()
}

/// Organisations in the subtree at `scope_path` whose name or code contains `q`,
/// ignoring case and diacritics.
pub async fn search(db: &Db, scope_path: &str, q: &str, on: NaiveDate, limit: i64) -> Result<Vec<Org>, StoreError> {
    let pattern = format!("%{}%", fold(q).replace(['%', '_'], ""));
    let sql = format!(
        "SELECT {ORG_COLUMNS} FROM org_versions v JOIN orgs o ON o.id = v.org_id
         WHERE v.path >= $1 AND v.path < $2 AND {} AND v.search_text LIKE $4 ORDER BY v.depth, v.name LIMIT $5",
        valid_on("v", 3)
    );
    db.query(&sql, params![scope_path, tree::subtree_end(scope_path), on, pattern, limit])
        .await?
        .iter()
        .map(|r| org_from_row(r, on))
        .collect()
}

/// The names of the organisations on a path, from the root down, as on `on`.
pub async fn ancestors(db: &Db, org: &Org, on: NaiveDate) -> Result<Vec<(OrgId, String)>, StoreError> {
    let ids = tree::ids(&org.path);
    let ids = &ids[..ids.len().saturating_sub(1)];
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let list: Vec<String> = ids.iter().map(|i| i.to_string()).collect();
    // The ids come from a stored path of integers, never from the user.
    let sql = format!(
        "SELECT v.org_id, v.name FROM org_versions v WHERE v.org_id IN ({}) AND v.valid_from <= $1
         ORDER BY v.valid_from",
        list.join(",")
    );
    let mut names: HashMap<OrgId, String> = HashMap::new();
    for r in db.query(&sql, params![on]).await? {
        names.insert(r.id(0)?, r.text(1)?);
    }
    Ok(ids.iter().map(|id| (*id, names.get(id).cloned().unwrap_or_default())).collect())
}

/// True when `x` lies in the subtree of `y` (itself included) on `on`.
pub async fn is_within(db: &Db, x: OrgId, y: OrgId, on: NaiveDate) -> Result<bool, StoreError> {
    let sql =
        format!("SELECT v.org_id, v.path FROM org_versions v WHERE v.org_id IN ($1, $2) AND {}", valid_on("v", 3));
    let rows = db.query(&sql, params![x, y, on]).await?;
    let path = |id: OrgId| rows.iter().find(|r| r.int(0).ok() == Some(id.0)).and_then(|r| r.text(1).ok());
    Ok(match (path(x), path(y)) {
        (Some(px), Some(py)) => tree::is_within(&px, &py),
        _ => false,
    })
}

/// One period of an organisation's life.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Version {
    pub name: String,
    #[schema(value_type = Option<i64>)]
    pub parent_id: Option<OrgId>,
    pub parent_name: Option<String>,
    pub valid_from: NaiveDate,
    pub valid_to: Option<NaiveDate>,
    /// `found`, `rename`, `move`, `moved_with_parent`, `merge`, …
    pub change: String,
}

pub async fn history(db: &Db, id: OrgId) -> Result<Vec<Version>, StoreError> {
    let rows = db
        .query(
            "SELECT v.name, v.parent_id, v.valid_from, v.valid_to, v.change,
                    (SELECT p.name FROM org_versions p WHERE p.org_id = v.parent_id AND p.valid_from <= v.valid_from
                     ORDER BY p.valid_from DESC LIMIT 1)
             FROM org_versions v WHERE v.org_id = $1 ORDER BY v.valid_from, v.id",
            params![id],
        )
        .await?;
    rows.iter()
        .map(|r| {
            Ok(Version {
                name: r.text(0)?,
                parent_id: r.opt_id(1)?,
                valid_from: r.date(2)?,
                valid_to: r.opt_date(3)?,
                change: r.text(4)?,
                parent_name: r.opt_text(5)?,
            })
        })
        .collect()
}

/// Counts over the whole subtree below an organisation (itself not counted).
#[derive(Debug, Clone, Default, Serialize, ToSchema)]
pub struct Stats {
    /// Organisations by kind.
    pub orgs: BTreeMap<String, i64>,
    pub members: MemberCounts,
}

#[derive(Debug, Clone, Default, Serialize, ToSchema)]
pub struct MemberCounts {
    pub total: i64,
    pub full: i64,
    pub probationary: i64,
}

pub async fn stats(db: &Db, org: &Org, on: NaiveDate) -> Result<Stats, StoreError> {
    let end = tree::subtree_end(&org.path);
    // One index range per kind (index `org_versions_by_kind_path`): at national size this
    // is several times faster than one GROUP BY over the whole range, which must sort.
    let kinds: Vec<OrgKind> = OrgKind::ALL.into_iter().filter(|k| *k != OrgKind::Province).collect();
    let per_kind = format!(
        "SELECT CAST($4 AS TEXT), COUNT(*) FROM org_versions v WHERE v.kind = $4 AND v.path > $1 AND v.path < $2 AND {}",
        valid_on("v", 3)
    );
    let sql = kinds.iter().map(|_| per_kind.as_str()).collect::<Vec<_>>().join(" UNION ALL ");
    let sql = renumber_kind_params(&sql, kinds.len());
    let mut params = vec![Value::from(org.path.as_str()), Value::from(end.as_str()), Value::from(on)];
    params.extend(kinds.iter().map(|k| Value::from(k.as_str())));
    let rows = db.query(&sql, &params).await?;
    let mut stats = Stats::default();
    for row in &rows {
        stats.orgs.insert(row.text(0)?, row.int(1)?);
    }
    let (full, probationary) = crate::members::counts(db, org.id, &org.path, on).await?;
    stats.members = MemberCounts { total: full + probationary, full, probationary };
    Ok(stats)
}

/// In a UNION of the same query per kind, the `n`-th copy reads its kind from `$(3 + n)`.
fn renumber_kind_params(sql: &str, copies: usize) -> String {
    let mut out = String::with_capacity(sql.len() + copies * 2);
    for (i, part) in sql.split(" UNION ALL ").enumerate() {
        if i > 0 {
            out.push_str(" UNION ALL ");
        }
        out.push_str(&part.replace("$4", &format!("${}", 4 + i)));
    }
    out
}

// ------------------------------------------------------------------ changes

/// A new organisation, as asked for.
#[derive(Debug, Clone)]
pub struct NewOrg {
    pub code: String,
    pub name: String,
    pub kind: String,
    pub parent_id: Option<OrgId>,
    pub effective_on: NaiveDate,
}

/// The version of `id` in effect on `on`, read inside the transaction.
async fn version_on(
    tx: &mut Tx,
    id: OrgId,
    on: NaiveDate,
) -> Result<Option<(String, i64, OrgKind, String)>, StoreError> {
    let sql = format!(
        "SELECT v.path, v.depth, v.kind, v.name FROM org_versions v WHERE v.org_id = $1 AND {}",
        valid_on("v", 2)
    );
    let Some(r) = tx.query_one(&sql, params![id, on]).await? else { return Ok(None) };
    let kind = OrgKind::parse(&r.text(2)?).ok_or_else(|| StoreError::Decode("unknown org kind".into()))?;
    Ok(Some((r.text(0)?, r.int(1)?, kind, r.text(3)?)))
}

fn not_active(field: &str, on: NaiveDate) -> StoreError {
    StoreError::invalid(field, format!("Tổ chức này không tồn tại vào ngày {}", dangvu_domain::vi::date(on)))
}

pub async fn create(tx: &mut Tx, actor: &Actor, new: NewOrg) -> Result<OrgId, StoreError> {
    let code = normalize_code(&new.code);
    let name = clean(&new.name);
    let mut problems = Problems::new();
    check_code(&code, &mut problems);
    check_name(&name, &mut problems);
    let kind = OrgKind::parse(&new.kind);
    if kind.is_none() {
        problems.add("kind", "Loại tổ chức không hợp lệ");
    }
    let parent = match new.parent_id {
        Some(pid) => {
            let v = version_on(tx, pid, new.effective_on).await?;
            if v.is_none() {
                problems.add("parent_id", "Tổ chức cấp trên không tồn tại vào ngày hiệu lực");
            }
            v
        }
        None => None,
    };
    if let Some(kind) = kind
        && (new.parent_id.is_none() || parent.is_some())
        && let Some(why) = parent_problem(kind, parent.as_ref().map(|p| p.2))
    {
        problems.add("parent_id", why);
    }
    if !code.is_empty() && tx.query_one("SELECT 1 FROM orgs WHERE code = $1", params![code.as_str()]).await?.is_some() {
        problems.add("code", "Mã tổ chức đã được dùng");
    }
    problems.finish().map_err(StoreError::Invalid)?;
    let kind = kind.expect("validated above");

    let row = tx
        .query_one(
            "INSERT INTO orgs (code, kind, founded_on, created_at) VALUES ($1, $2, $3, $4) RETURNING id",
            params![code.as_str(), kind.as_str(), new.effective_on, crate::now_micros()],
        )
        .await?
        .ok_or(StoreError::NotFound)?;
    let id: OrgId = row.id(0)?;
    let (path, depth) = match &parent {
        Some((ppath, pdepth, _, _)) => (tree::child_path(ppath, id), pdepth + 1),
        None => (tree::root_path(id), 0),
    };
    tx.execute(
        "INSERT INTO org_versions (org_id, parent_id, kind, name, search_text, path, depth, valid_from, change)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'found')",
        params![
            id,
            new.parent_id,
            kind.as_str(),
            name.as_str(),
            search_text(&name, &code),
            path,
            depth,
            new.effective_on
        ],
    )
    .await?;
    audit::append(
        tx,
        actor,
        Change {
            action: Action::OrgFound,
            subject: Subject::org(id),
            before: None,
            after: Some(json!({"code": code, "name": name, "kind": kind.as_str(),
                               "parent_id": new.parent_id, "effective_on": new.effective_on})),
        },
    )
    .await?;
    Ok(id)
}

fn search_text(name: &str, code: &str) -> String {
    fold(&format!("{name} {code}"))
}

/// Refuses a change dated before a change already recorded for any organisation of the
/// subtree: history is written in order.
async fn ensure_no_later_change(tx: &mut Tx, path: &str, on: NaiveDate) -> Result<(), StoreError> {
    let sql = format!(
        "SELECT 1 FROM org_versions w WHERE w.valid_from > $3 AND w.org_id IN
           (SELECT v.org_id FROM org_versions v WHERE v.path >= $1 AND v.path < $2 AND {}) LIMIT 1",
        valid_on("v", 3)
    );
    if tx.query_one(&sql, params![path, tree::subtree_end(path), on]).await?.is_some() {
        return Err(StoreError::invalid(
            "effective_on",
            "Đã có thay đổi về sau ngày này trong tổ chức hoặc các tổ chức trực thuộc; hãy chọn ngày hiệu lực muộn hơn",
        ));
    }
    Ok(())
}

/// Re-roots the subtree at `old_path` to `new_path` from `on`: versions that started
/// before `on` are closed and continued under the new path, versions that start on
/// `on` are corrected in place.
async fn rebase_subtree(
    tx: &mut Tx,
    old_path: &str,
    new_path: &str,
    depth_delta: i64,
    on: NaiveDate,
) -> Result<(), StoreError> {
    let end = tree::subtree_end(old_path);
    let keep = old_path.len() as i64 + 1;
    let current = "path >= $1 AND path < $2 AND valid_from < $3 AND (valid_to IS NULL OR valid_to > $3)";
    tx.execute(
        &format!(
            "INSERT INTO org_versions (org_id, parent_id, kind, name, search_text, path, depth, valid_from, change)
             SELECT org_id, parent_id, kind, name, search_text, $4 || substr(path, $5), depth + $6, $3, 'moved_with_parent'
             FROM org_versions WHERE {current}"
        ),
        params![old_path, end.as_str(), on, new_path, keep, depth_delta],
    )
    .await?;
    tx.execute(&format!("UPDATE org_versions SET valid_to = $3 WHERE {current}"), params![old_path, end.as_str(), on])
        .await?;
    tx.execute(
        "UPDATE org_versions SET path = $4 || substr(path, $5), depth = depth + $6
         WHERE path >= $1 AND path < $2 AND valid_from = $3",
        params![old_path, end.as_str(), on, new_path, keep, depth_delta],
    )
    .await?;
    Ok(())
}

/// Starts a new version of one organisation on `on` (closing the current one), or
/// corrects it in place when it already starts that day. Answers nothing: callers then
/// set the fields that change.
async fn open_version(tx: &mut Tx, id: OrgId, on: NaiveDate, change: &str) -> Result<(), StoreError> {
    tx.execute(
        "INSERT INTO org_versions (org_id, parent_id, kind, name, search_text, path, depth, valid_from, change)
         SELECT org_id, parent_id, kind, name, search_text, path, depth, $2, $3 FROM org_versions
         WHERE org_id = $1 AND valid_from < $2 AND (valid_to IS NULL OR valid_to > $2)",
        params![id, on, change],
    )
    .await?;
    tx.execute(
        "UPDATE org_versions SET valid_to = $2
         WHERE org_id = $1 AND valid_from < $2 AND (valid_to IS NULL OR valid_to > $2)",
        params![id, on],
    )
    .await?;
    Ok(())
}

pub async fn rename(tx: &mut Tx, actor: &Actor, id: OrgId, name: &str, on: NaiveDate) -> Result<(), StoreError> {
    let name = clean(name);
    let mut problems = Problems::new();
    check_name(&name, &mut problems);
    problems.finish().map_err(StoreError::Invalid)?;
    let (path, _, _, old_name) = version_on(tx, id, on).await?.ok_or_else(|| not_active("effective_on", on))?;
    ensure_no_later_change(tx, &path, on).await?;
    let code =
        tx.query_one("SELECT code FROM orgs WHERE id = $1", params![id]).await?.ok_or(StoreError::NotFound)?.text(0)?;
    open_version(tx, id, on, "rename").await?;
    tx.execute(
        "UPDATE org_versions SET name = $3, search_text = $4, change = 'rename' WHERE org_id = $1 AND valid_from = $2",
        params![id, on, name.as_str(), search_text(&name, &code)],
    )
    .await?;
    audit::append(
        tx,
        actor,
        Change {
            action: Action::OrgRename,
            subject: Subject::org(id),
            before: Some(json!({"name": old_name})),
            after: Some(json!({"name": name, "effective_on": on})),
        },
    )
    .await?;
    Ok(())
}

pub async fn move_to(tx: &mut Tx, actor: &Actor, id: OrgId, parent_id: OrgId, on: NaiveDate) -> Result<(), StoreError> {
    let (path, depth, kind, _) = version_on(tx, id, on).await?.ok_or_else(|| not_active("effective_on", on))?;
    let (ppath, pdepth, pkind, _) = version_on(tx, parent_id, on).await?.ok_or_else(|| not_active("parent_id", on))?;
    if tree::is_within(&ppath, &path) {
        return Err(StoreError::invalid(
            "parent_id",
            "Không thể chuyển một tổ chức vào chính nó hoặc tổ chức trực thuộc nó",
        ));
    }
    if let Some(why) = parent_problem(kind, Some(pkind)) {
        return Err(StoreError::invalid("parent_id", why));
    }
    let old_parent = tree::ids(&path).iter().rev().nth(1).copied();
    if old_parent == Some(parent_id) {
        return Err(StoreError::invalid("parent_id", "Tổ chức đã trực thuộc tổ chức này"));
    }
    ensure_no_later_change(tx, &path, on).await?;
    let new_path = tree::child_path(&ppath, id);
    rebase_subtree(tx, &path, &new_path, pdepth + 1 - depth, on).await?;
    crate::members::move_totals(tx, id, &path, &ppath).await?;
    tx.execute(
        "UPDATE org_versions SET parent_id = $3, change = 'move' WHERE org_id = $1 AND valid_from = $2",
        params![id, on, parent_id],
    )
    .await?;
    audit::append(
        tx,
        actor,
        Change {
            action: Action::OrgMove,
            subject: Subject::org(id),
            before: Some(json!({"parent_id": old_parent})),
            after: Some(json!({"parent_id": parent_id, "effective_on": on})),
        },
    )
    .await?;
    Ok(())
}

/// Merges `id` into `into_id` on `on`: its children and members move into `into_id`,
/// and it ends. Nothing is deleted; the tree before `on` is unchanged.
pub async fn merge(tx: &mut Tx, actor: &Actor, id: OrgId, into_id: OrgId, on: NaiveDate) -> Result<(), StoreError> {
    if id == into_id {
        return Err(StoreError::invalid("into_id", "Không thể hợp nhất một tổ chức vào chính nó"));
    }
    let (path, _, kind, _) = version_on(tx, id, on).await?.ok_or_else(|| not_active("effective_on", on))?;
    let (ipath, idepth, ikind, _) = version_on(tx, into_id, on).await?.ok_or_else(|| not_active("into_id", on))?;
    if tree::is_within(&ipath, &path) {
        return Err(StoreError::invalid("into_id", "Không thể hợp nhất vào một tổ chức trực thuộc"));
    }
    let child_sql = format!(
        "SELECT v.org_id, v.kind, v.path, v.depth FROM org_versions v WHERE v.parent_id = $1 AND {} ORDER BY v.org_id",
        valid_on("v", 2)
    );
    let children = tx.query(&child_sql, params![id, on]).await?;
    for c in &children {
        let ckind = OrgKind::parse(&c.text(1)?).ok_or_else(|| StoreError::Decode("unknown org kind".into()))?;
        if let Some(why) = parent_problem(ckind, Some(ikind)) {
            return Err(StoreError::invalid("into_id", format!("Không chuyển được tổ chức trực thuộc: {why}")));
        }
    }
    let members = tx.query_one("SELECT COUNT(*) FROM members WHERE org_id = $1", params![id]).await?;
    let members = members.map(|r| r.int(0)).transpose()?.unwrap_or(0);
    if members > 0 && !ikind.holds_members() {
        return Err(StoreError::invalid("into_id", "Tổ chức nhận hợp nhất phải là chi bộ để nhận đảng viên"));
    }
    if kind != ikind && !(kind.holds_members() && ikind.holds_members()) {
        return Err(StoreError::invalid("into_id", "Chỉ hợp nhất các tổ chức cùng cấp"));
    }
    ensure_no_later_change(tx, &path, on).await?;
    ensure_no_later_change(tx, &ipath, on).await?;
    let mut moved = Vec::new();
    for c in &children {
        let (cid, cpath, cdepth) = (c.id(0)?, c.text(2)?, c.int(3)?);
        rebase_subtree(tx, &cpath, &tree::child_path(&ipath, cid), idepth + 1 - cdepth, on).await?;
        tx.execute(
            "UPDATE org_versions SET parent_id = $3, change = 'merge' WHERE org_id = $1 AND valid_from = $2",
            params![cid, on, into_id],
        )
        .await?;
        moved.push(cid);
    }
    // The members' history: their period in the merged cell ends, one in `into_id` starts.
    tx.execute(
        "INSERT INTO member_periods (member_id, org_id, status, valid_from)
         SELECT p.member_id, $2, p.status, $3 FROM member_periods p WHERE p.org_id = $1 AND p.valid_to IS NULL",
        params![id, into_id, on],
    )
    .await?;
    tx.execute("UPDATE member_periods SET valid_to = $2 WHERE org_id = $1 AND valid_to IS NULL", params![id, on])
        .await?;
    tx.execute("UPDATE members SET org_id = $2 WHERE org_id = $1", params![id, into_id]).await?;
    crate::members::move_totals(tx, id, &path, &ipath).await?;
    tx.execute("UPDATE org_member_totals SET full_count = 0, prob_count = 0 WHERE org_id = $1", params![id]).await?;
    end_org(tx, id, on, "merged", Some(into_id)).await?;
    audit::append(
        tx,
        actor,
        Change {
            action: Action::OrgMerge,
            subject: Subject::org(id),
            before: None,
            after: Some(
                json!({"into_id": into_id, "effective_on": on, "children_moved": moved, "members_moved": members}),
            ),
        },
    )
    .await?;
    Ok(())
}

/// Dissolves an organisation that no longer has children or members on `on`.
pub async fn dissolve(tx: &mut Tx, actor: &Actor, id: OrgId, on: NaiveDate) -> Result<(), StoreError> {
    let (path, _, _, _) = version_on(tx, id, on).await?.ok_or_else(|| not_active("effective_on", on))?;
    let sql = format!("SELECT 1 FROM org_versions v WHERE v.parent_id = $1 AND {} LIMIT 1", valid_on("v", 2));
    if tx.query_one(&sql, params![id, on]).await?.is_some() {
        return Err(StoreError::invalid(
            "effective_on",
            "Tổ chức còn tổ chức trực thuộc: hãy chuyển hoặc hợp nhất chúng trước khi giải thể",
        ));
    }
    if tx.query_one("SELECT 1 FROM members WHERE org_id = $1 LIMIT 1", params![id]).await?.is_some() {
        return Err(StoreError::invalid(
            "effective_on",
            "Tổ chức còn đảng viên: hãy chuyển sinh hoạt đảng viên trước khi giải thể",
        ));
    }
    ensure_no_later_change(tx, &path, on).await?;
    end_org(tx, id, on, "dissolved", None).await?;
    audit::append(
        tx,
        actor,
        Change {
            action: Action::OrgDissolve,
            subject: Subject::org(id),
            before: None,
            after: Some(json!({"effective_on": on})),
        },
    )
    .await?;
    Ok(())
}

async fn end_org(tx: &mut Tx, id: OrgId, on: NaiveDate, reason: &str, into: Option<OrgId>) -> Result<(), StoreError> {
    tx.execute(
        "UPDATE org_versions SET valid_to = $2 WHERE org_id = $1 AND (valid_to IS NULL OR valid_to > $2)",
        params![id, on],
    )
    .await?;
    tx.execute(
        "UPDATE orgs SET ended_on = $2, end_reason = $3, merged_into_id = $4 WHERE id = $1",
        params![id, on, reason, into],
    )
    .await?;
    Ok(())
}

// ------------------------------------------------------------------ bodies

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Body {
    pub id: i64,
    #[schema(value_type = i64)]
    pub org_id: OrgId,
    #[schema(value_type = String, example = "standing")]
    pub kind: BodyKind,
    pub name: String,
}

/// One body, by id.
pub async fn body(db: &Db, id: i64) -> Result<Option<Body>, StoreError> {
    let row = db.query_one("SELECT id, org_id, kind, name FROM bodies WHERE id = $1", params![id]).await?;
    row.as_ref().map(body_of).transpose()
}

fn body_of(r: &Row) -> Result<Body, StoreError> {
    Ok(Body {
        id: r.int(0)?,
        org_id: r.id(1)?,
        kind: BodyKind::parse(&r.text(2)?).ok_or_else(|| StoreError::Decode("unknown body kind".into()))?,
        name: r.text(3)?,
    })
}

pub async fn bodies(db: &Db, org_id: OrgId) -> Result<Vec<Body>, StoreError> {
    let rows =
        db.query("SELECT id, org_id, kind, name FROM bodies WHERE org_id = $1 ORDER BY id", params![org_id]).await?;
    rows.iter().map(body_of).collect()
}

pub async fn add_body(tx: &mut Tx, actor: &Actor, org_id: OrgId, kind: &str, name: &str) -> Result<i64, StoreError> {
    let name = clean(name);
    let mut problems = Problems::new();
    let Some(kind) = BodyKind::parse(kind) else {
        problems.add("kind", "Loại cơ quan không hợp lệ");
        return Err(StoreError::Invalid(problems.into_vec()));
    };
    if name.is_empty() || name.chars().count() > 200 {
        problems.add("name", "Tên cơ quan gồm 1–200 ký tự");
    }
    problems.finish().map_err(StoreError::Invalid)?;
    let id = tx
        .query_one(
            "INSERT INTO bodies (org_id, kind, name, created_at) VALUES ($1, $2, $3, $4) RETURNING id",
            params![org_id, kind.as_str(), name.as_str(), crate::now_micros()],
        )
        .await?
        .ok_or(StoreError::NotFound)?
        .int(0)?;
    audit::append(
        tx,
        actor,
        Change {
            action: Action::BodyCreate,
            subject: Subject::body(id),
            before: None,
            after: Some(json!({"org_id": org_id, "kind": kind.as_str(), "name": name})),
        },
    )
    .await?;
    Ok(id)
}

// ------------------------------------------------------------------ matching names

/// The words an organisation's name starts with that a conclusion leaves out: it says
/// "Sở Tài chính" for "Đảng bộ Sở Tài chính".
const PARTY_PREFIXES: [&str; 6] =
    ["dang bo bo phan ", "dang bo ", "chi bo ", "dang uy ", "ban can su dang ", "dang doan "];

fn core_name(folded: &str) -> &str {
    PARTY_PREFIXES.iter().find_map(|p| folded.strip_prefix(p)).unwrap_or(folded)
}

/// The organisation of the subtree at `scope_path` that a unit named in a text means, if
/// exactly one fits: the same name once the party prefix is set aside, or else the only
/// name that contains it. Ambiguous or unknown names match nothing: they are shown to
/// the user to choose, never guessed.
pub async fn match_unit(db: &Db, scope_path: &str, name: &str, on: NaiveDate) -> Result<Option<OrgId>, StoreError> {
    let wanted = fold(&clean(name));
    let wanted = core_name(&wanted).trim().to_owned();
    if wanted.chars().count() < 3 {
        return Ok(None);
    }
    let pattern = format!("%{}%", wanted.replace(['%', '_'], ""));
    let sql = format!(
        "SELECT v.org_id, v.name FROM org_versions v
         WHERE v.path >= $1 AND v.path < $2 AND {} AND v.search_text LIKE $4 LIMIT 50",
        valid_on("v", 3)
    );
    let rows = db.query(&sql, params![scope_path, tree::subtree_end(scope_path), on, pattern]).await?;
    let mut exact = Vec::new();
    let mut partial = Vec::new();
    for r in &rows {
        let folded = fold(&r.text(1)?);
        if core_name(&folded) == wanted || folded == wanted {
            exact.push(r.id(0)?);
        } else if folded.contains(&wanted) {
            partial.push(r.id(0)?);
        }
    }
    Ok(match (exact.as_slice(), partial.as_slice()) {
        ([one], _) => Some(*one),
        ([], [one]) => Some(*one),
        _ => None,
    })
}

/// A body with the name of its organisation, as a picker shows it.
#[derive(Debug, Clone)]
pub struct NamedBody {
    pub body: Body,
    pub org_name: String,
}

/// The bodies of the organisation at `scope_path` and of the organisations directly under it,
/// as on `on`: those a committee's office assigns work to (its own boards, office, đảng đoàn …
/// and the committees of the level below).
pub async fn bodies_near(db: &Db, scope_path: &str, on: NaiveDate) -> Result<Vec<NamedBody>, StoreError> {
    let Some(scope) = tree::ids(scope_path).last().copied() else { return Ok(Vec::new()) };
    let sql = format!(
        "SELECT b.id, b.org_id, b.kind, b.name, v.name FROM bodies b
         JOIN org_versions v ON v.org_id = b.org_id AND {}
         WHERE v.org_id = $1 OR v.parent_id = $1 ORDER BY v.depth, b.org_id, b.id LIMIT 5000",
        valid_on("v", 2)
    );
    let rows = db.query(&sql, params![scope, on]).await?;
    rows.iter().map(|r| Ok(NamedBody { body: body_of(r)?, org_name: r.text(4)? })).collect()
}

/// The body a unit named in a text means, if exactly one fits, among [`bodies_near`] the
/// scope: the same name, abbreviations spelled out, or else the only one whose name contains
/// it. Looked up before the organisations, so that "Ban Tổ chức Tỉnh ủy" is the board, not a
/// cell that carries its name.
pub async fn match_body(db: &Db, scope_path: &str, name: &str, on: NaiveDate) -> Result<Option<i64>, StoreError> {
    use dangvu_domain::tasks::conclusion::match_key;
    let wanted = match_key(&clean(name));
    if wanted.chars().count() < 3 {
        return Ok(None);
    }
    let mut exact = Vec::new();
    let mut partial = Vec::new();
    for b in bodies_near(db, scope_path, on).await? {
        let key = match_key(&b.body.name);
        if key == wanted {
            exact.push(b.body.id);
        } else if format!(" {key} ").contains(&format!(" {wanted} ")) {
            partial.push(b.body.id);
        }
    }
    Ok(match (exact.as_slice(), partial.as_slice()) {
        ([one], _) => Some(*one),
        ([], [one]) => Some(*one),
        _ => None,
    })
}

/// Bodies named exactly `name`, with their organisation.
pub async fn bodies_named(db: &Db, name: &str) -> Result<Vec<Body>, StoreError> {
    let rows = db.query("SELECT id, org_id, kind, name FROM bodies WHERE name = $1 LIMIT 500", params![name]).await?;
    rows.iter().map(body_of).collect()
}

/// Organisations of the subtree at `scope_path` named exactly `name` on `on`.
pub async fn named(db: &Db, scope_path: &str, name: &str, on: NaiveDate) -> Result<Vec<Org>, StoreError> {
    let sql = format!(
        "SELECT {ORG_COLUMNS} FROM org_versions v JOIN orgs o ON o.id = v.org_id
         WHERE v.path >= $1 AND v.path < $2 AND {} AND v.name = $4 ORDER BY o.id LIMIT 500",
        valid_on("v", 3)
    );
    let rows = db.query(&sql, params![scope_path, tree::subtree_end(scope_path), on, name]).await?;
    rows.iter().map(|r| org_from_row(r, on)).collect()
}

/// The names of several organisations as on `on` (their last name if they ended before).
pub async fn names(db: &Db, ids: &[OrgId], on: NaiveDate) -> Result<HashMap<OrgId, String>, StoreError> {
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    // Ids are integers from stored records, never text from the request.
    let list: Vec<String> = ids.iter().map(|i| i.to_string()).collect();
    let sql = format!(
        "SELECT v.org_id, v.name FROM org_versions v WHERE v.org_id IN ({}) AND v.valid_from <= $1 ORDER BY v.valid_from",
        list.join(",")
    );
    let mut out = HashMap::new();
    for r in db.query(&sql, params![on]).await? {
        out.insert(r.id(0)?, r.text(1)?);
    }
    Ok(out)
}

/// The codes of several organisations.
pub async fn codes(db: &Db, ids: &[OrgId]) -> Result<HashMap<OrgId, String>, StoreError> {
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    // Ids are integers from stored records, never text from the request.
    let list: Vec<String> = ids.iter().map(|i| i.to_string()).collect();
    let sql = format!("SELECT id, code FROM orgs WHERE id IN ({})", list.join(","));
    let mut out = HashMap::new();
    for r in db.query(&sql, &[]).await? {
        out.insert(r.id(0)?, r.text(1)?);
    }
    Ok(out)
}
