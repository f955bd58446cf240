//! The figures of awards: how many collectives and individuals each level awarded, by kind, in
//! a period, for the awards decided in a subtree ("tặng bằng khen cho 23 tập thể và 164 cá nhân"
//! is one row). One grouped query.

use chrono::NaiveDate;
use dangvu_domain::ids::OrgId;
use dangvu_domain::orgs::tree::subtree_end;
use dangvu_domain::rewards::AwardKind;
use serde::Serialize;
use utoipa::ToSchema;

use crate::{Db, StoreError, params};

/// One deciding organisation and kind of award.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct FigureRow {
    #[schema(value_type = i64)]
    pub org_id: OrgId,
    pub org_name: String,
    #[schema(value_type = String)]
    pub kind: AwardKind,
    pub kind_label: &'static str,
    /// Decisions.
    pub awards: i64,
    pub collectives: i64,
    pub individuals: i64,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AwardFigures {
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub rows: Vec<FigureRow>,
    pub collectives: i64,
    pub individuals: i64,
}

/// The awards decided by the organisations of the subtree at `path` from `from` to `to`.
pub async fn figures(db: &Db, path: &str, from: NaiveDate, to: NaiveDate) -> Result<AwardFigures, StoreError> {
    let end = subtree_end(path);
    let rows = db
        .query(
            "SELECT a.org_id, v.name, a.kind, COUNT(DISTINCT a.id),
                    COUNT(r.org_id), COUNT(r.member_id)
             FROM awards a JOIN org_versions v ON v.org_id = a.org_id AND v.valid_to IS NULL
             LEFT JOIN award_recipients r ON r.award_id = a.id
             WHERE v.path >= $1 AND v.path < $2 AND a.decided_on >= $3 AND a.decided_on <= $4
             GROUP BY a.org_id, v.name, v.path, a.kind
             ORDER BY v.path, a.kind",
            params![path, end.as_str(), from, to],
        )
        .await?;
    let mut out = AwardFigures { from, to, rows: Vec::with_capacity(rows.len()), collectives: 0, individuals: 0 };
    for r in &rows {
        let kind = AwardKind::parse(&r.text(2)?).ok_or_else(|| StoreError::Decode("awards.kind".into()))?;
        let row = FigureRow {
            org_id: r.id(0)?,
            org_name: r.text(1)?,
            kind,
            kind_label: kind.label(),
            awards: r.int(3)?,
            collectives: r.int(4)?,
            individuals: r.int(5)?,
        };
        out.collectives += row.collectives;
        out.individuals += row.individuals;
        out.rows.push(row);
    }
    Ok(out)
}
