//! Quality classification (đánh giá, xếp loại chất lượng) of members and organisations for a
//! period, on the four levels of Quy định 366-QĐ/TW, and the counts by level of a subtree.

use chrono::NaiveDate;
use dangvu_domain::audit::Action;
use dangvu_domain::calendar;
use dangvu_domain::ids::{MemberId, OrgId};
use dangvu_domain::members::{ClassificationLevel, MembershipRules, score_is_valid};
use dangvu_domain::orgs::tree;
use dangvu_domain::validation::Problems;
use serde::Serialize;
use serde_json::json;
use utoipa::ToSchema;

use crate::audit::{self, Actor, Change, Subject};
use crate::{Db, StoreError, Tx, params};

/// A period of review: a year (`2025`), a quarter (`2025-Q3`) or a term (`2020-2025`).
pub fn check_period(raw: &str) -> Option<String> {
    let p = raw.trim().to_uppercase();
    let year = |s: &str| s.len() == 4 && s.bytes().all(|b| b.is_ascii_digit()) && ("2000"..="2100").contains(&s);
    let ok = match p.split_once('-') {
        None => year(&p),
        Some((y, q)) if q.len() == 2 && q.starts_with('Q') => year(y) && ("Q1"..="Q4").contains(&q),
        Some((a, b)) => year(a) && year(b) && a < b,
    };
    ok.then_some(p)
}

/// One classification as entered: a member or an organisation, with a level, a score, or both.
#[derive(Debug, Clone, Default)]
pub struct NewClassification {
    pub member_id: Option<MemberId>,
    pub org_id: Option<OrgId>,
    pub level: Option<String>,
    pub score: Option<f64>,
}

/// The level an entry gets: from the score by the thresholds, or as given; a level given
/// with a score may be lower than the score's (conditions of 366 lower it), never higher.
fn level_of(e: &NewClassification, rules: &MembershipRules) -> Result<ClassificationLevel, &'static str> {
    if e.score.is_some_and(|s| !score_is_valid(s, rules)) {
        return Err("Điểm nằm ngoài thang điểm");
    }
    let given = match e.level.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        None => None,
        Some(s) => {
            Some(ClassificationLevel::parse(s).ok_or("Mức xếp loại là excellent, good, completed hoặc not_completed")?)
        }
    };
    match (given, e.score.map(|s| ClassificationLevel::from_score(s, rules))) {
        (Some(l), Some(by_score)) if l.rank() > by_score.rank() => Err("Mức xếp loại cao hơn mức theo điểm"),
        (Some(l), _) => Ok(l),
        (None, Some(by_score)) => Ok(by_score),
        (None, None) => Err("Chọn mức xếp loại hoặc nhập điểm"),
    }
}

/// Records (or replaces) classifications for `period`, all or nothing. Every member and
/// organisation must be in the subtree at `scope_path`; a member is counted under the cell
/// they belong to on the day of recording.
pub async fn record(
    tx: &mut Tx,
    actor: &Actor,
    scope_path: &str,
    period: &str,
    decided_on: NaiveDate,
    entries: &[NewClassification],
    rules: &MembershipRules,
) -> Result<usize, StoreError> {
    let period = check_period(period).ok_or_else(|| {
        StoreError::invalid("period", "Kỳ đánh giá là năm (2025), quý (2025-Q3) hoặc nhiệm kỳ (2020-2025)")
    })?;
    let today = calendar::today();
    if decided_on > today {
        return Err(StoreError::invalid("decided_on", "Ngày ở tương lai"));
    }
    if entries.is_empty() || entries.len() > 10_000 {
        return Err(StoreError::invalid("entries", "Từ 1 đến 10.000 mục mỗi lần"));
    }
    let mut problems = Problems::new();
    let mut rows = Vec::with_capacity(entries.len());
    for (i, e) in entries.iter().enumerate() {
        let field = |f: &str| format!("entries[{i}].{f}");
        let level = level_of(e, rules).map_err(|m| problems.add(field("level"), m)).ok();
        let (subject, org_id) = match (e.member_id, e.org_id) {
            (Some(m), None) => {
                let row = tx
                    .query_one(
                        "SELECT m.org_id, v.path FROM members m JOIN org_versions v ON v.org_id = m.org_id
                           AND v.valid_from <= $2 AND (v.valid_to IS NULL OR v.valid_to > $2)
                         WHERE m.id = $1 AND m.ended_on IS NULL",
                        params![m, today],
                    )
                    .await?;
                match row {
                    Some(r) if tree::is_within(&r.text(1)?, scope_path) => ("member", Some(r.id(0)?)),
                    _ => {
                        problems.add(field("member_id"), "Không có đảng viên này trong phạm vi");
                        ("member", None)
                    }
                }
            }
            (None, Some(o)) => {
                let row = tx
                    .query_one(
                        "SELECT path FROM org_versions WHERE org_id = $1 AND valid_from <= $2
                           AND (valid_to IS NULL OR valid_to > $2)",
                        params![o, today],
                    )
                    .await?;
                match row {
                    Some(r) if tree::is_within(&r.text(0)?, scope_path) => ("org", Some(o)),
                    _ => {
                        problems.add(field("org_id"), "Không có tổ chức này trong phạm vi");
                        ("org", None)
                    }
                }
            }
            _ => {
                problems.add(field("member_id"), "Mỗi mục là một đảng viên (member_id) hoặc một tổ chức (org_id)");
                ("member", None)
            }
        };
        if let (Some(level), Some(org_id)) = (level, org_id) {
            rows.push((subject, e.member_id, org_id, level, e.score));
        }
    }
    problems.finish().map_err(StoreError::Invalid)?;
    let now = crate::now_micros();
    for (subject, member_id, org_id, level, score) in &rows {
        if *subject == "member" {
            tx.execute(
                "DELETE FROM classifications WHERE subject = 'member' AND member_id = $1 AND period = $2",
                params![*member_id, period.as_str()],
            )
            .await?;
        } else {
            tx.execute(
                "DELETE FROM classifications WHERE subject = 'org' AND org_id = $1 AND period = $2",
                params![*org_id, period.as_str()],
            )
            .await?;
        }
        tx.execute(
            "INSERT INTO classifications (subject, member_id, org_id, period, level, score, decided_on, created_by, created_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
            params![*subject, *member_id, *org_id, period.as_str(), level.as_str(), *score, decided_on, actor.id, now],
        )
        .await?;
    }
    audit::append(
        tx,
        actor,
        Change {
            action: Action::ClassificationRecord,
            subject: Subject::classifications(),
            before: None,
            after: Some(json!({"period": period, "decided_on": decided_on, "count": rows.len()})),
        },
    )
    .await?;
    Ok(rows.len())
}

/// How many got each level.
#[derive(Debug, Clone, Default, Serialize, ToSchema)]
pub struct LevelCounts {
    pub excellent: i64,
    pub good: i64,
    pub completed: i64,
    pub not_completed: i64,
}

impl LevelCounts {
    fn add(&mut self, level: &str, n: i64) {
        match level {
            "excellent" => self.excellent += n,
            "good" => self.good += n,
            "completed" => self.completed += n,
            _ => self.not_completed += n,
        }
    }

    pub fn total(&self) -> i64 {
        self.excellent + self.good + self.completed + self.not_completed
    }
}

/// The counts by level of a subtree for a period.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ClassificationSummary {
    pub period: String,
    pub members: LevelCounts,
    pub orgs: LevelCounts,
}

/// Counts by level of the members (under the cell they were classified in) and of the
/// organisations of the subtree as it stands today.
pub async fn summary(db: &Db, path: &str, period: &str) -> Result<ClassificationSummary, StoreError> {
    let period = check_period(period).ok_or_else(|| StoreError::invalid("period", "Kỳ đánh giá không hợp lệ"))?;
    let rows = db
        .query(
            "SELECT c.subject, c.level, COUNT(*) FROM classifications c
             JOIN org_versions v ON v.org_id = c.org_id AND v.valid_from <= $4 AND (v.valid_to IS NULL OR v.valid_to > $4)
             WHERE c.period = $3 AND v.path >= $1 AND v.path < $2
             GROUP BY c.subject, c.level",
            params![path, tree::subtree_end(path), period.as_str(), calendar::today()],
        )
        .await?;
    let mut s = ClassificationSummary { period, members: LevelCounts::default(), orgs: LevelCounts::default() };
    for r in rows {
        let (level, n) = (r.text(1)?, r.int(2)?);
        if r.text(0)? == "member" {
            s.members.add(&level, n);
        } else {
            s.orgs.add(&level, n);
        }
    }
    Ok(s)
}

/// One recorded classification.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Classification {
    #[schema(value_type = Option<i64>)]
    pub member_id: Option<MemberId>,
    #[schema(value_type = i64)]
    pub org_id: OrgId,
    pub level: String,
    pub score: Option<f64>,
    pub decided_on: NaiveDate,
}

/// The classifications of a period for the members of one cell and for the organisation
/// itself and its direct children.
pub async fn of_org(db: &Db, org_id: OrgId, period: &str) -> Result<Vec<Classification>, StoreError> {
    let period = check_period(period).ok_or_else(|| StoreError::invalid("period", "Kỳ đánh giá không hợp lệ"))?;
    let rows = db
        .query(
            "SELECT c.member_id, c.org_id, c.level, c.score, c.decided_on FROM classifications c
             WHERE c.period = $2 AND (c.org_id = $1 OR (c.subject = 'org' AND c.org_id IN
                   (SELECT v.org_id FROM org_versions v WHERE v.parent_id = $1 AND v.valid_from <= $3
                      AND (v.valid_to IS NULL OR v.valid_to > $3))))
             ORDER BY c.id",
            params![org_id, period.as_str(), calendar::today()],
        )
        .await?;
    rows.iter()
        .map(|r| {
            Ok(Classification {
                member_id: r.opt_id(0)?,
                org_id: r.id(1)?,
                level: r.text(2)?,
                score: r.opt_float(3)?,
                decided_on: r.date(4)?,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn periods() {
        assert_eq!(check_period("2025").as_deref(), Some("2025"));
        assert_eq!(check_period(" 2025-q3 ").as_deref(), Some("2025-Q3"));
        assert_eq!(check_period("2020-2025").as_deref(), Some("2020-2025"));
        for bad in ["", "25", "2025-Q5", "2025-2020", "1999", "2025-Q", "abcd"] {
            assert_eq!(check_period(bad), None, "{bad}");
        }
    }

    #[test]
    fn levels_from_scores_and_choices() {
        let rules = MembershipRules::default();
        let e = |level: Option<&str>, score: Option<f64>| NewClassification {
            member_id: Some(MemberId(1)),
            level: level.map(str::to_owned),
            score,
            ..Default::default()
        };
        assert_eq!(level_of(&e(None, Some(90.0)), &rules), Ok(ClassificationLevel::Excellent));
        assert_eq!(level_of(&e(None, Some(89.5)), &rules), Ok(ClassificationLevel::Good));
        assert_eq!(level_of(&e(Some("completed"), Some(95.0)), &rules), Ok(ClassificationLevel::Completed));
        assert!(level_of(&e(Some("excellent"), Some(60.0)), &rules).is_err());
        assert!(level_of(&e(None, Some(101.0)), &rules).is_err());
        assert!(level_of(&e(None, None), &rules).is_err());
        assert!(level_of(&e(Some("great"), None), &rules).is_err());
    }
}
