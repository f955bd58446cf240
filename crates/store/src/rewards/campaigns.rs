//! Emulation campaigns (phong trào thi đua): a committee launches one for its subtree with a
//! theme, a period and criteria; units below register with their pledge and report their
//! results; the committee closes it with a summary. Awards decided from it name it.

use chrono::NaiveDate;
use dangvu_domain::audit::Action;
use dangvu_domain::calendar;
use dangvu_domain::ids::OrgId;
use dangvu_domain::orgs::tree::{is_within, subtree_end};
use dangvu_domain::rewards::CampaignState;
use serde::Serialize;
use serde_json::json;
use utoipa::ToSchema;

use super::{long_text, required_text};
use crate::audit::{self, Actor, Change, Subject};
use crate::db::Value;
use crate::{Db, Row, StoreError, Tx, params};

pub struct NewCampaign {
    pub org_id: OrgId,
    pub theme: String,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    pub criteria: String,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CampaignUnit {
    #[schema(value_type = i64)]
    pub org_id: OrgId,
    pub org_name: String,
    pub registered_on: NaiveDate,
    pub pledge: String,
    pub result: Option<String>,
    pub reported_on: Option<NaiveDate>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Campaign {
    pub id: i64,
    /// The launching committee.
    #[schema(value_type = i64)]
    pub org_id: OrgId,
    pub org_name: String,
    pub theme: String,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    pub criteria: String,
    #[schema(value_type = String)]
    pub state: CampaignState,
    pub state_label: &'static str,
    pub summary: Option<String>,
    pub closed_on: Option<NaiveDate>,
    /// Units registered, and those that reported.
    pub registered: i64,
    pub reported: i64,
    /// Filled by [`get`].
    pub units: Vec<CampaignUnit>,
    /// Awards decided from the campaign.
    pub awards: i64,
}

pub async fn launch(tx: &mut Tx, actor: &Actor, new: NewCampaign) -> Result<i64, StoreError> {
    let theme = required_text(&new.theme, "theme", 500, "Chủ đề phong trào")?;
    let criteria = long_text(&new.criteria, "criteria")?;
    if criteria.is_empty() {
        return Err(StoreError::invalid("criteria", "Ghi tiêu chí thi đua"));
    }
    if new.ends_on < new.starts_on {
        return Err(StoreError::invalid("ends_on", "Ngày kết thúc trước ngày bắt đầu"));
    }
    if tx
        .query_one("SELECT 1 FROM org_versions WHERE org_id = $1 AND valid_to IS NULL", params![new.org_id])
        .await?
        .is_none()
    {
        return Err(StoreError::invalid("org_id", "Không có tổ chức này"));
    }
    let id = tx
        .query_one(
            "INSERT INTO campaigns (org_id, theme, starts_on, ends_on, criteria, state, created_by, created_at)
             VALUES ($1, $2, $3, $4, $5, 'open', $6, $7) RETURNING id",
            params![
                new.org_id,
                theme.as_str(),
                new.starts_on,
                new.ends_on,
                criteria.as_str(),
                actor.id,
                crate::now_micros()
            ],
        )
        .await?
        .ok_or(StoreError::NotFound)?
        .int(0)?;
    audit::append(
        tx,
        actor,
        Change {
            action: Action::CampaignLaunch,
            subject: Subject::campaign(id),
            before: None,
            after: Some(
                json!({"org_id": new.org_id, "theme": theme, "starts_on": new.starts_on, "ends_on": new.ends_on}),
            ),
        },
    )
    .await?;
    Ok(id)
}

/// The launcher's path and whether the campaign is still open.
async fn open_campaign(tx: &mut Tx, id: i64) -> Result<String, StoreError> {
    let r = tx
        .query_one(
            "SELECT v.path, c.state FROM campaigns c JOIN org_versions v ON v.org_id = c.org_id AND v.valid_to IS NULL
             WHERE c.id = $1",
            params![id],
        )
        .await?
        .ok_or(StoreError::NotFound)?;
    if r.text(1)? != CampaignState::Open.as_str() {
        return Err(StoreError::invalid("state", "Phong trào đã tổng kết"));
    }
    r.text(0)
}

/// A unit below the launcher registers (or changes its pledge).
pub async fn register(tx: &mut Tx, actor: &Actor, id: i64, org_id: OrgId, pledge: &str) -> Result<(), StoreError> {
    let launcher = open_campaign(tx, id).await?;
    let pledge = long_text(pledge, "pledge")?;
    if pledge.is_empty() {
        return Err(StoreError::invalid("pledge", "Ghi nội dung đăng ký thi đua"));
    }
    let path = tx
        .query_one("SELECT path FROM org_versions WHERE org_id = $1 AND valid_to IS NULL", params![org_id])
        .await?
        .ok_or_else(|| StoreError::invalid("org_id", "Không có tổ chức này"))?
        .text(0)?;
    if !is_within(&path, &launcher) || path == launcher {
        return Err(StoreError::invalid("org_id", "Đơn vị không thuộc phạm vi phong trào"));
    }
    let changed = tx
        .execute(
            "UPDATE campaign_units SET pledge = $3 WHERE campaign_id = $1 AND org_id = $2",
            params![id, org_id, pledge.as_str()],
        )
        .await?;
    if changed == 0 {
        tx.execute(
            "INSERT INTO campaign_units (campaign_id, org_id, registered_on, pledge) VALUES ($1, $2, $3, $4)",
            params![id, org_id, calendar::today(), pledge.as_str()],
        )
        .await?;
    }
    audit::append(
        tx,
        actor,
        Change {
            action: Action::CampaignUnit,
            subject: Subject::campaign(id),
            before: None,
            after: Some(json!({"org_id": org_id, "registered": true})),
        },
    )
    .await?;
    Ok(())
}

/// A registered unit reports its results.
pub async fn report(tx: &mut Tx, actor: &Actor, id: i64, org_id: OrgId, result: &str) -> Result<(), StoreError> {
    open_campaign(tx, id).await?;
    let result = long_text(result, "result")?;
    if result.is_empty() {
        return Err(StoreError::invalid("result", "Ghi kết quả thi đua"));
    }
    let changed = tx
        .execute(
            "UPDATE campaign_units SET result = $3, reported_on = $4 WHERE campaign_id = $1 AND org_id = $2",
            params![id, org_id, result.as_str(), calendar::today()],
        )
        .await?;
    if changed == 0 {
        return Err(StoreError::invalid("org_id", "Đơn vị chưa đăng ký thi đua"));
    }
    audit::append(
        tx,
        actor,
        Change {
            action: Action::CampaignUnit,
            subject: Subject::campaign(id),
            before: None,
            after: Some(json!({"org_id": org_id, "reported": true})),
        },
    )
    .await?;
    Ok(())
}

/// The launching committee sums the campaign up; nothing more is registered or reported.
pub async fn close(tx: &mut Tx, actor: &Actor, id: i64, summary: &str) -> Result<(), StoreError> {
    open_campaign(tx, id).await?;
    let summary = long_text(summary, "summary")?;
    if summary.is_empty() {
        return Err(StoreError::invalid("summary", "Ghi nội dung tổng kết"));
    }
    tx.execute(
        "UPDATE campaigns SET state = 'closed', summary = $2, closed_on = $3 WHERE id = $1",
        params![id, summary.as_str(), calendar::today()],
    )
    .await?;
    audit::append(
        tx,
        actor,
        Change {
            action: Action::CampaignClose,
            subject: Subject::campaign(id),
            before: Some(json!({"state": "open"})),
            after: Some(json!({"state": "closed"})),
        },
    )
    .await?;
    Ok(())
}

const COLUMNS: &str = "c.id, c.org_id, v.name, c.theme, c.starts_on, c.ends_on, c.criteria, c.state, c.summary,
    c.closed_on,
    (SELECT COUNT(*) FROM campaign_units u WHERE u.campaign_id = c.id),
    (SELECT COUNT(*) FROM campaign_units u WHERE u.campaign_id = c.id AND u.result IS NOT NULL),
    (SELECT COUNT(*) FROM awards a WHERE a.campaign_id = c.id)";
const FROM: &str = "FROM campaigns c JOIN org_versions v ON v.org_id = c.org_id AND v.valid_to IS NULL";

fn campaign_of(r: &Row) -> Result<Campaign, StoreError> {
    let state = CampaignState::parse(&r.text(7)?).ok_or_else(|| StoreError::Decode("campaigns.state".into()))?;
    Ok(Campaign {
        id: r.int(0)?,
        org_id: r.id(1)?,
        org_name: r.text(2)?,
        theme: r.text(3)?,
        starts_on: r.date(4)?,
        ends_on: r.date(5)?,
        criteria: r.text(6)?,
        state,
        state_label: state.label(),
        summary: r.opt_text(8)?,
        closed_on: r.opt_date(9)?,
        registered: r.int(10)?,
        reported: r.int(11)?,
        awards: r.int(12)?,
        units: Vec::new(),
    })
}

pub async fn get(db: &Db, id: i64) -> Result<Option<Campaign>, StoreError> {
    let Some(row) = db.query_one(&format!("SELECT {COLUMNS} {FROM} WHERE c.id = $1"), params![id]).await? else {
        return Ok(None);
    };
    let mut c = campaign_of(&row)?;
    c.units = db
        .query(
            "SELECT u.org_id, v.name, u.registered_on, u.pledge, u.result, u.reported_on FROM campaign_units u
             JOIN org_versions v ON v.org_id = u.org_id AND v.valid_to IS NULL
             WHERE u.campaign_id = $1 ORDER BY v.path",
            params![id],
        )
        .await?
        .iter()
        .map(|r| {
            Ok(CampaignUnit {
                org_id: r.id(0)?,
                org_name: r.text(1)?,
                registered_on: r.date(2)?,
                pledge: r.text(3)?,
                result: r.opt_text(4)?,
                reported_on: r.opt_date(5)?,
            })
        })
        .collect::<Result<_, StoreError>>()?;
    Ok(Some(c))
}

/// The launcher's path, for the scope check.
pub async fn launcher_path(db: &Db, id: i64) -> Result<Option<String>, StoreError> {
    db.query_one(&format!("SELECT v.path {FROM} WHERE c.id = $1"), params![id]).await?.map(|r| r.text(0)).transpose()
}

/// The campaigns that concern a subtree: launched in it, or launched above it (they cover it).
/// Open ones first, newest first.
pub async fn concerning(db: &Db, path: &str, limit: i64) -> Result<Vec<Campaign>, StoreError> {
    let end = subtree_end(path);
    let ancestors: Vec<String> = path.match_indices('/').skip(1).map(|(i, _)| path[..=i].to_owned()).collect();
    let mut values: Vec<Value> = vec![Value::from(path), Value::from(end.as_str()), Value::from(limit)];
    let mut slots = Vec::new();
    for a in ancestors {
        values.push(Value::from(a));
        slots.push(format!("${}", values.len()));
    }
    let above = if slots.is_empty() { String::new() } else { format!(" OR v.path IN ({})", slots.join(", ")) };
    let sql = format!(
        "SELECT {COLUMNS} {FROM} WHERE (v.path >= $1 AND v.path < $2){above}
         ORDER BY CASE WHEN c.state = 'open' THEN 0 ELSE 1 END, c.starts_on DESC, c.id DESC LIMIT $3"
    );
    db.query(&sql, &values).await?.iter().map(campaign_of).collect()
}
