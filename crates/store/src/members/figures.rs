//! Roll-up figures of members for any organisation and any past date: by status, gender, age
//! band and party-age band on a day, and the admissions, recognitions, departures and
//! transfers of a period — the figures that committees now count by hand (seed 003).
//!
//! Everything comes from the member periods joined with the organisation versions of the
//! day, so that a merge or a move after that day changes nothing. Bands are computed in the
//! database as comparisons of dates with cut-off dates worked out here: no row leaves the
//! engine, only the counts.

use chrono::{Months, NaiveDate};
use dangvu_domain::members::{Band, InactivePeriod, MembershipRules, PartyAge, all_bands, party_age, party_age_band};
use dangvu_domain::orgs::tree;
use serde::Serialize;
use utoipa::ToSchema;

use crate::{Db, StoreError, params};

/// The members of a subtree on a day.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct MemberFigures {
    pub on: NaiveDate,
    pub total: i64,
    pub full: i64,
    pub probationary: i64,
    pub male: i64,
    pub female: i64,
    /// Age on `on`, in the bands of the rules (`age_band_starts`).
    pub by_age: Vec<BandCount>,
    /// Party age on `on`, from the first admission decision minus the periods out, in completed
    /// years (`party_age_band_starts`).
    pub by_party_age: Vec<BandCount>,
}

/// One column of a banded figure.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct BandCount {
    /// "Dưới 31 tuổi", "Từ 31 đến 40 tuổi", …
    pub label: String,
    pub from: u32,
    pub to: Option<u32>,
    pub count: i64,
}

/// The changes of a period, both days included.
#[derive(Debug, Clone, Default, Serialize, ToSchema)]
pub struct MemberFlows {
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    /// Admitted (by the date of the admission decision) in a cell of the subtree.
    pub admitted: i64,
    /// Re-admitted (by the date of the new decision) into a cell of the subtree, counted
    /// apart from first admissions.
    pub readmitted: i64,
    /// Became official members.
    pub recognized: i64,
    /// Memberships ended, by kind.
    pub removed_from_list: i64,
    pub expelled: i64,
    pub resigned: i64,
    pub deceased: i64,
    /// Transferred in from outside the subtree, and out of it.
    pub transferred_in: i64,
    pub transferred_out: i64,
}

/// `CASE` giving the band index of `column` (a date) for bands of years counted up to `on`:
/// the value is at least `s` years iff the date is on or before `on` minus `s` years.
fn band_case(column: &str, starts: &[u32], on: NaiveDate, values: &mut Vec<crate::Value>) -> String {
    let mut sql = String::from("CASE");
    for (index, start) in starts.iter().enumerate().rev() {
        let cutoff = on.checked_sub_months(Months::new(start.saturating_mul(12))).unwrap_or(NaiveDate::MIN);
        values.push(cutoff.into());
        sql.push_str(&format!(" WHEN {column} <= ${} THEN {}", values.len(), index + 1));
    }
    sql.push_str(" ELSE 0 END");
    sql
}

fn band_counts(bands: &[Band], counts: &[i64], unit: &str) -> Vec<BandCount> {
    bands
        .iter()
        .map(|b| BandCount {
            label: b.label(unit),
            from: b.from,
            to: b.to,
            count: counts.get(b.index).copied().unwrap_or(0),
        })
        .collect()
}

/// The members of the subtree at `path` on `on`.
pub async fn on_day(db: &Db, path: &str, on: NaiveDate, rules: &MembershipRules) -> Result<MemberFigures, StoreError> {
    let mut values: Vec<crate::Value> = vec![path.into(), tree::subtree_end(path).into(), on.into()];
    let age = band_case("m.birth_date", &rules.age_band_starts, on, &mut values);
    // Members with periods out (few) are banded below from their party age proper.
    let party_age = format!(
        "CASE WHEN m.inactive_periods > 0 THEN -1 ELSE {} END",
        band_case("m.admitted_on", &rules.party_age_band_starts, on, &mut values)
    );
    let sql = format!(
        "SELECT m.gender, p.status, {age}, {party_age}, COUNT(*)
         FROM member_periods p
         JOIN org_versions v ON v.org_id = p.org_id AND v.valid_from <= $3 AND (v.valid_to IS NULL OR v.valid_to > $3)
         JOIN members m ON m.id = p.member_id
         WHERE v.path >= $1 AND v.path < $2 AND p.valid_from <= $3 AND (p.valid_to IS NULL OR p.valid_to > $3)
         GROUP BY 1, 2, 3, 4"
    );
    let mut f = MemberFigures {
        on,
        total: 0,
        full: 0,
        probationary: 0,
        male: 0,
        female: 0,
        by_age: Vec::new(),
        by_party_age: Vec::new(),
    };
    let mut ages = vec![0; rules.age_band_starts.len() + 1];
    let mut party_ages = vec![0; rules.party_age_band_starts.len() + 1];
    for r in db.query(&sql, &values).await? {
        let n = r.int(4)?;
        f.total += n;
        match r.text(0)?.as_str() {
            "male" => f.male += n,
            _ => f.female += n,
        }
        match r.text(1)?.as_str() {
            "full" => f.full += n,
            _ => f.probationary += n,
        }
        if let Some(c) = ages.get_mut(r.int(2)? as usize) {
            *c += n;
        }
        if let Ok(band) = usize::try_from(r.int(3)?)
            && let Some(c) = party_ages.get_mut(band)
        {
            *c += n;
        }
    }
    for age in party_ages_with_periods(db, path, on).await? {
        if let Some(c) = party_ages.get_mut(party_age_band(age, rules).index) {
            *c += 1;
        }
    }
    f.by_age = band_counts(&all_bands(&rules.age_band_starts), &ages, "tuổi");
    f.by_party_age = band_counts(&all_bands(&rules.party_age_band_starts), &party_ages, "năm");
    Ok(f)
}

/// The party age on `on` of the subtree's members who have periods out, one by one.
async fn party_ages_with_periods(db: &Db, path: &str, on: NaiveDate) -> Result<Vec<PartyAge>, StoreError> {
    let rows = db
        .query(
            "SELECT m.id, m.admitted_on, i.from_on, i.until_on
             FROM member_periods p
             JOIN org_versions v ON v.org_id = p.org_id AND v.valid_from <= $3 AND (v.valid_to IS NULL OR v.valid_to > $3)
             JOIN members m ON m.id = p.member_id
             JOIN member_inactive_periods i ON i.member_id = m.id
             WHERE v.path >= $1 AND v.path < $2 AND p.valid_from <= $3 AND (p.valid_to IS NULL OR p.valid_to > $3)
               AND m.inactive_periods > 0
             ORDER BY m.id",
            params![path, tree::subtree_end(path).as_str(), on],
        )
        .await?;
    let mut ages = Vec::new();
    let mut current: Option<(i64, NaiveDate, Vec<InactivePeriod>)> = None;
    for r in rows {
        let id = r.int(0)?;
        if current.as_ref().is_none_or(|(c, _, _)| *c != id) {
            if let Some((_, admitted, spans)) = current.take() {
                ages.push(party_age(admitted, &spans, on));
            }
            current = Some((id, r.date(1)?, Vec::new()));
        }
        if let Some((_, _, spans)) = current.as_mut() {
            spans.push(InactivePeriod { from: r.date(2)?, until: r.opt_date(3)? });
        }
    }
    if let Some((_, admitted, spans)) = current {
        ages.push(party_age(admitted, &spans, on));
    }
    Ok(ages)
}

/// Members whose `date_column` falls in the period, counted where they belonged on that day.
async fn count_on_own_date(
    db: &Db,
    path: &str,
    date_column: &str,
    from: NaiveDate,
    to: NaiveDate,
    extra: &str,
) -> Result<Vec<(String, i64)>, StoreError> {
    let sql = format!(
        "SELECT {extra}, COUNT(*) FROM members m
         JOIN member_periods p ON p.member_id = m.id AND p.valid_from <= m.{date_column}
              AND (p.valid_to IS NULL OR p.valid_to > m.{date_column})
         JOIN org_versions v ON v.org_id = p.org_id AND v.valid_from <= m.{date_column}
              AND (v.valid_to IS NULL OR v.valid_to > m.{date_column})
         WHERE m.{date_column} >= $3 AND m.{date_column} <= $4 AND v.path >= $1 AND v.path < $2
         GROUP BY 1"
    );
    let rows = db.query(&sql, params![path, tree::subtree_end(path), from, to]).await?;
    rows.iter().map(|r| Ok((r.text(0)?, r.int(1)?))).collect()
}

/// Admissions counted by the path of the admitting cell (as it stood that day): the unit
/// report sums them per child organisation.
pub async fn admitted_by_path(
    db: &Db,
    path: &str,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Vec<(String, i64)>, StoreError> {
    count_on_own_date(db, path, "admitted_on", from, to, "v.path").await
}

/// Admissions, recognitions, departures and transfers across the border of the subtree.
pub async fn flows(db: &Db, path: &str, from: NaiveDate, to: NaiveDate) -> Result<MemberFlows, StoreError> {
    let mut f = MemberFlows { from: Some(from), to: Some(to), ..MemberFlows::default() };
    f.admitted = admitted_by_path(db, path, from, to).await?.iter().map(|(_, n)| n).sum();
    f.recognized = count_on_own_date(db, path, "official_on", from, to, "'all'").await?.iter().map(|(_, n)| n).sum();
    // Recognitions of members who left and were re-admitted since, kept by the period out,
    // counted in the cell the member was in that day.
    let before_readmission = db
        .query(
            "SELECT COUNT(*) FROM member_inactive_periods i
             JOIN member_periods p ON p.member_id = i.member_id AND p.valid_from <= i.official_on
                  AND (p.valid_to IS NULL OR p.valid_to > i.official_on)
             JOIN org_versions v ON v.org_id = p.org_id AND v.valid_from <= i.official_on
                  AND (v.valid_to IS NULL OR v.valid_to > i.official_on)
             WHERE i.official_on >= $3 AND i.official_on <= $4 AND v.path >= $1 AND v.path < $2",
            params![path, tree::subtree_end(path), from, to],
        )
        .await?;
    f.recognized += before_readmission.first().map(|r| r.int(0)).transpose()?.unwrap_or(0);
    // A membership that ended on day D had its last period end on D: the cell is that one.
    let ended = db
        .query(
            "SELECT m.end_kind, COUNT(*) FROM members m
             JOIN member_periods p ON p.member_id = m.id AND p.valid_to = m.ended_on
             JOIN org_versions v ON v.org_id = p.org_id AND v.valid_from < m.ended_on
                  AND (v.valid_to IS NULL OR v.valid_to >= m.ended_on)
             WHERE m.ended_on >= $3 AND m.ended_on <= $4 AND v.path >= $1 AND v.path < $2
             GROUP BY m.end_kind",
            params![path, tree::subtree_end(path), from, to],
        )
        .await?;
    // A member who left and was re-admitted no longer has an end on the record: the time
    // out, recorded as a period out of that kind, still says when and how they left (and,
    // by its end, when they came back), in the cell they were in that day.
    let left_and_back = db
        .query(
            "SELECT i.reason, COUNT(*) FROM member_inactive_periods i
             JOIN member_periods p ON p.member_id = i.member_id AND p.valid_from < i.from_on
                  AND (p.valid_to IS NULL OR p.valid_to >= i.from_on)
             JOIN org_versions v ON v.org_id = p.org_id AND v.valid_from < i.from_on
                  AND (v.valid_to IS NULL OR v.valid_to >= i.from_on)
             WHERE i.reason IN ('expelled', 'removed_from_list', 'resigned')
               AND i.from_on >= $3 AND i.from_on <= $4 AND v.path >= $1 AND v.path < $2
             GROUP BY i.reason
             UNION ALL
             SELECT 'readmitted', COUNT(*) FROM member_inactive_periods i
             JOIN member_periods p ON p.member_id = i.member_id AND p.valid_from <= i.until_on
                  AND (p.valid_to IS NULL OR p.valid_to > i.until_on)
             JOIN org_versions v ON v.org_id = p.org_id AND v.valid_from <= i.until_on
                  AND (v.valid_to IS NULL OR v.valid_to > i.until_on)
             WHERE i.reason IN ('expelled', 'removed_from_list', 'resigned')
               AND i.until_on >= $3 AND i.until_on <= $4 AND v.path >= $1 AND v.path < $2",
            params![path, tree::subtree_end(path), from, to],
        )
        .await?;
    for r in ended.iter().chain(&left_and_back) {
        let n = r.int(1)?;
        match r.opt_text(0)?.as_deref() {
            Some("removed_from_list") => f.removed_from_list += n,
            Some("expelled") => f.expelled += n,
            Some("resigned") => f.resigned += n,
            Some("readmitted") => f.readmitted += n,
            _ => f.deceased += n,
        }
    }
    let moves = db
        .query(
            "SELECT f.path >= $1 AND f.path < $2, t.path >= $1 AND t.path < $2, COUNT(*) FROM transfers x
             JOIN org_versions f ON f.org_id = x.from_org_id AND f.valid_from < x.effective_on
                  AND (f.valid_to IS NULL OR f.valid_to >= x.effective_on)
             JOIN org_versions t ON t.org_id = x.to_org_id AND t.valid_from <= x.effective_on
                  AND (t.valid_to IS NULL OR t.valid_to > x.effective_on)
             WHERE x.effective_on >= $3 AND x.effective_on <= $4
               AND ((f.path >= $1 AND f.path < $2) OR (t.path >= $1 AND t.path < $2))
             GROUP BY 1, 2",
            params![path, tree::subtree_end(path), from, to],
        )
        .await?;
    for r in moves {
        match (r.bool(0)?, r.bool(1)?) {
            (false, true) => f.transferred_in += r.int(2)?,
            (true, false) => f.transferred_out += r.int(2)?,
            _ => {}
        }
    }
    Ok(f)
}
