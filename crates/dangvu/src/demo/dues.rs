//! The demo's party dues: every member of the bloc has declared what the dues are computed from
//! (most an insured salary, some a pension, a few students), and a year of payments is in the
//! cells' books up to last month, this month's half collected. A few members are behind: one in
//! 23 missed last month, one in 41 has paid nothing since September (the cell's review). Two
//! decisions of the Sở Tài chính's committee: a hardship reduction and a social pension. The
//! province is in region III, the bloc (Vinh) in region II.

use dangvu_domain::calendar;
use dangvu_domain::dues::{DuesRules, Exemption, ExemptionKind, Month};
use dangvu_domain::ids::{MemberId, OrgId};
use dangvu_domain::orgs::tree::subtree_end;
use dangvu_store::dues::{NewExemption, ledger};
use dangvu_store::{StoreError, params};

use super::{BLOC_CODE, Builder};

pub(super) async fn build(b: &mut Builder, province: OrgId, bloc: OrgId) -> Result<(), StoreError> {
    ledger::set_unit(&mut b.tx, &b.actor, province, Some(3), None).await?;
    ledger::set_unit(&mut b.tx, &b.actor, bloc, Some(2), None).await?;
    let path =
        b.tx.query_one("SELECT path FROM org_versions WHERE org_id = $1 AND valid_to IS NULL", params![bloc]).await?;
    let path = path.ok_or(StoreError::NotFound)?.text(0)?;
    let end = subtree_end(&path);
    let now = dangvu_store::now_micros();
    // Salaries and pensions in steps of 200,000 đồng: 1 % and 0.5 % of them are whole đồng.
    b.tx.execute(
        "INSERT INTO dues_bases (member_id, from_month, category, base, recorded_by, recorded_at)
         SELECT m.id, '2025-01',
                CASE WHEN m.id % 20 = 0 THEN 'pensioner' WHEN m.id % 50 = 1 THEN 'student' ELSE 'insured' END,
                CASE WHEN m.id % 50 = 1 THEN NULL ELSE 4600000 + (m.id % 40) * 200000 END, NULL, $3
         FROM members m JOIN org_versions o ON o.org_id = m.org_id AND o.valid_to IS NULL
         WHERE o.path >= $1 AND o.path < $2 AND m.ended_on IS NULL",
        params![path.as_str(), end.as_str(), now],
    )
    .await?;
    let rules = DuesRules::default();
    let current = Month::of(calendar::today());
    for month in current.plus(-12).through(current) {
        let paid_on = month.first_day() + chrono::Days::new(9);
        let fifty_years_before = month.last_day() - chrono::Months::new(12 * rules.exempt_party_age_years);
        let student = if month < rules.qd01_from { rules.qd342_other_amount } else { rules.student_amount };
        // Who is behind: one in 23 missed last month, one in 41 paid nothing since September;
        // this month, half have paid so far.
        let skip = if month == current {
            "m.id % 2 = 0"
        } else if month == current.plus(-1) {
            "m.id % 23 = 0 OR m.id % 41 = 0"
        } else if month.month() >= 9 && month.year() == current.year() {
            "m.id % 41 = 0"
        } else {
            "1 = 0"
        };
        let sql = format!(
            "INSERT INTO dues_payments (member_id, org_id, month, amount, paid_on, method, reference, recorded_by,
                                        recorded_at)
             SELECT m.id, m.org_id, $3,
                    CASE d.category WHEN 'insured' THEN d.base / 100 WHEN 'pensioner' THEN d.base / 200 ELSE $4 END,
                    $5, CASE WHEN m.id % 3 = 0 THEN 'portal' ELSE 'cash' END,
                    CASE WHEN m.id % 3 = 0 THEN 'DVC-' || $3 || '-' || m.id END, NULL, $6
             FROM members m JOIN org_versions o ON o.org_id = m.org_id AND o.valid_to IS NULL
             JOIN dues_bases d ON d.member_id = m.id
             WHERE o.path >= $1 AND o.path < $2 AND m.ended_on IS NULL AND m.admitted_on <= $7
               AND m.admitted_on > $8 AND m.inactive_periods = 0 AND NOT ({skip})"
        );
        b.tx.execute(
            &sql,
            params![
                path.as_str(),
                end.as_str(),
                month.to_string(),
                student,
                paid_on,
                now,
                month.last_day(),
                fifty_years_before
            ],
        )
        .await?;
    }
    ledger::rebuild_paid_years(&mut b.tx).await?;
    decisions(b, current).await
}

/// A hardship reduction and a social pension, decided by the Sở Tài chính's committee for two
/// members of its office cell.
async fn decisions(b: &mut Builder, current: Month) -> Result<(), StoreError> {
    let committee = b.id_of(&format!("{BLOC_CODE}-STC")).await?;
    let cell = b.id_of(&format!("{BLOC_CODE}-STC-CB01")).await?;
    let members: Vec<MemberId> = b
        .tx
        .query("SELECT id FROM members WHERE org_id = $1 AND ended_on IS NULL ORDER BY id DESC LIMIT 2", params![cell])
        .await?
        .iter()
        .map(|r| r.id(0))
        .collect::<Result<_, _>>()?;
    let rules = DuesRules::default();
    let choices = [
        (ExemptionKind::Hardship, 50, Some(current.plus(3)), "Biên bản họp chi bộ tháng này, QĐ 12-QĐ/ĐU"),
        (ExemptionKind::SocialPension, 100, None, "QĐ 15-QĐ/ĐU"),
    ];
    for (member, (kind, percent, until, reference)) in members.into_iter().zip(choices) {
        let new = NewExemption {
            exemption: Exemption { kind, percent, from: current.plus(-2), until },
            decided_on: current.plus(-2).first_day(),
            decided_by: committee,
            reference: reference.to_owned(),
        };
        ledger::add_exemption(&mut b.tx, &b.actor, member, new, &rules).await?;
    }
    Ok(())
}
