use chrono::NaiveDate;
use proptest::prelude::*;

use super::*;
use crate::ids::OrgId;

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

fn m(text: &str) -> Month {
    Month::parse(text).unwrap()
}

fn member(admitted_on: NaiveDate) -> MemberFacts {
    MemberFacts { admitted_on, ended_on: None, inactive: vec![], retires_on: None, region: 1 }
}

fn insured(from: &str, base: i64) -> Basis {
    Basis { from: m(from), category: Category::Insured, base: Some(base) }
}

fn due(month: &str, facts: &MemberFacts, bases: &[Basis], exemptions: &[Exemption]) -> MonthDue {
    month_due(m(month), facts, bases, exemptions, &DuesRules::default())
}

#[test]
fn an_insured_member_pays_one_percent_of_the_insured_salary_under_both_regulations() {
    let f = member(d(2010, 5, 19));
    let bases = [insured("2025-01", 8_765_432)];
    let jan = due("2026-01", &f, &bases, &[]);
    assert_eq!((jan.regulation, jan.due), (Regulation::Qd342, 87_654));
    let feb = due("2026-02", &f, &bases, &[]);
    assert_eq!((feb.regulation, feb.due), (Regulation::Qd01, 87_654));
    // Rounded half up to the đồng.
    assert_eq!(due("2026-03", &f, &[insured("2026-01", 1_234_550)], &[]).due, 12_346);
}

#[test]
fn a_pensioner_pays_half_a_percent_and_a_student_five_thousand_from_february_2026() {
    let f = member(d(1990, 1, 1));
    let pension = [Basis { from: m("2020-01"), category: Category::Pensioner, base: Some(6_000_000) }];
    assert_eq!(due("2026-05", &f, &pension, &[]).due, 30_000);
    let student = [Basis { from: m("2024-09"), category: Category::Student, base: None }];
    assert_eq!(due("2026-02", &f, &student, &[]).due, 5_000);
    // Before QĐ 01 a student paid the province's amount for other members.
    assert_eq!(due("2026-01", &f, &student, &[]).due, DuesRules::default().qd342_other_amount);
}

#[test]
fn other_members_pay_a_share_of_the_regional_minimum_wage_that_steps_up_in_2028() {
    let mut f = member(d(2000, 3, 3));
    // Region I, 2026: 0.3 % of 5,310,000.
    assert_eq!(due("2026-02", &f, &[], &[]).due, 15_930);
    assert!(!due("2026-02", &f, &[], &[]).declared);
    assert_eq!(due("2028-01", &f, &[], &[]).due, 26_550);
    f.region = 4;
    assert_eq!(due("2026-06", &f, &[], &[]).due, 11_100);
    // At the retirement age: 0.2 %, then 0.3 %.
    f.retires_on = Some(d(2026, 7, 15));
    assert_eq!(due("2026-06", &f, &[], &[]).due, 11_100);
    assert_eq!(due("2026-07", &f, &[], &[]).due, 7_400);
    assert_eq!(due("2028-03", &f, &[], &[]).due, 11_100);
}

#[test]
fn a_later_basis_replaces_the_earlier_from_its_month() {
    let f = member(d(2015, 1, 1));
    let bases = [insured("2026-01", 10_000_000), insured("2026-07", 12_000_000)];
    assert_eq!(due("2026-06", &f, &bases, &[]).due, 100_000);
    assert_eq!(due("2026-07", &f, &bases, &[]).due, 120_000);
    // Before any basis, the other members' rate.
    assert_eq!(due("2025-12", &f, &bases, &[]).category, Category::Other);
}

#[test]
fn fifty_years_of_party_age_exempt_from_the_month_they_are_reached_under_qd01_only() {
    let f = member(d(1976, 3, 20));
    let bases = [insured("2020-01", 5_000_000)];
    assert_eq!(due("2026-02", &f, &bases, &[]).due, 50_000);
    let march = due("2026-03", &f, &bases, &[]);
    assert_eq!((march.due, march.exempt), (0, Some(Exempt::PartyAge)));
    // A year out of the Party moves the day a year later.
    let mut out = member(d(1976, 3, 20));
    out.inactive = vec![InactivePeriod { from: d(1990, 1, 1), until: Some(d(1991, 1, 1)) }];
    assert!(due("2026-03", &out, &bases, &[]).exempt.is_none());
    assert_eq!(due("2027-03", &out, &bases, &[]).exempt, Some(Exempt::PartyAge));
    // QĐ 342's months are not touched.
    let old = member(d(1970, 1, 1));
    assert_eq!(due("2025-06", &old, &bases, &[]).due, 50_000);
}

#[test]
fn decisions_exempt_or_reduce_the_months_they_cover() {
    let f = member(d(2005, 1, 1));
    let bases = [insured("2026-01", 10_000_000)];
    let hardship =
        Exemption { kind: ExemptionKind::Hardship, percent: 70, from: m("2026-03"), until: Some(m("2026-05")) };
    assert_eq!(due("2026-02", &f, &bases, &[hardship]).due, 100_000);
    let april = due("2026-04", &f, &bases, &[hardship]);
    assert_eq!((april.due, april.reduction), (30_000, 70));
    assert_eq!(due("2026-06", &f, &bases, &[hardship]).due, 100_000);
    let pension = Exemption { kind: ExemptionKind::SocialPension, percent: 100, from: m("2026-05"), until: None };
    let may = due("2026-05", &f, &bases, &[hardship, pension]);
    assert_eq!((may.due, may.exempt), (0, Some(Exempt::Decision(ExemptionKind::SocialPension))));
}

#[test]
fn a_decision_is_checked_against_the_regulation() {
    let rules = DuesRules::default();
    let check = |e: Exemption| {
        let mut p = Problems::new();
        e.check(&rules, &mut p);
        p.into_vec().into_iter().map(|e| e.field).collect::<Vec<_>>()
    };
    let hardship =
        Exemption { kind: ExemptionKind::Hardship, percent: 50, from: m("2026-01"), until: Some(m("2026-12")) };
    assert!(check(hardship).is_empty());
    assert_eq!(check(Exemption { until: Some(m("2027-01")), ..hardship }), ["until"]);
    assert_eq!(check(Exemption { until: None, ..hardship }), ["until"]);
    assert_eq!(check(Exemption { percent: 40, ..hardship }), ["percent"]);
    assert_eq!(check(Exemption { until: Some(m("2025-12")), ..hardship }), ["until"]);
    let special = Exemption { kind: ExemptionKind::SpecialHardship, percent: 50, from: m("2026-01"), until: None };
    assert_eq!(check(special), ["percent"]);
}

#[test]
fn nothing_is_due_outside_the_party() {
    let mut f = member(d(2026, 4, 30));
    let bases = [insured("2026-01", 10_000_000)];
    assert!(!due("2026-03", &f, &bases, &[]).in_party);
    assert_eq!(due("2026-04", &f, &bases, &[]).due, 100_000);
    f.ended_on = Some(d(2026, 9, 1));
    assert_eq!(due("2026-09", &f, &bases, &[]).due, 100_000);
    assert_eq!(due("2026-10", &f, &bases, &[]).due, 0);
    f.ended_on = None;
    f.inactive = vec![InactivePeriod { from: d(2026, 5, 1), until: Some(d(2026, 7, 10)) }];
    assert_eq!(due("2026-06", &f, &bases, &[]).due, 0);
    assert_eq!(due("2026-07", &f, &bases, &[]).due, 100_000);
}

#[test]
fn three_unpaid_months_in_a_year_ask_the_cell_to_review_never_more() {
    let rules = DuesRules::default();
    let f = member(d(2010, 1, 1));
    let months: Vec<MonthDue> = Month::of_year(2026).map(|mo| month_due(mo, &f, &[], &[], &rules)).collect();
    // Paid in full Jan–Mar, half in April, nothing after; it is now June: April and May unpaid.
    let paid = |mo: Month| match mo.month() {
        1..=3 => 15_930,
        4 => 7_000,
        _ => 0,
    };
    let year = year_dues(months.clone(), paid, m("2026-06"), &rules);
    assert_eq!((year.unpaid_months, year.needs_review), (2, false));
    let year = year_dues(months, paid, m("2026-07"), &rules);
    assert_eq!((year.unpaid_months, year.needs_review), (3, true));
    // January follows QĐ 342: the province's amount for other members.
    assert_eq!(year.due, DuesRules::default().qd342_other_amount + 11 * 15_930);
}

#[test]
fn what_reaches_each_level_is_kept_or_passed_up() {
    let rules = DuesRules::default();
    let unit = |id: i64, parent: Option<i64>, kind, collected| Unit {
        id: OrgId(id),
        parent: parent.map(OrgId),
        kind,
        keeps: None,
        collected,
    };
    let units = [
        unit(1, None, crate::orgs::OrgKind::Province, 0),
        unit(2, Some(1), crate::orgs::OrgKind::GrassrootsCommittee, 0),
        unit(3, Some(2), crate::orgs::OrgKind::Cell, 600_000),
        unit(4, Some(2), crate::orgs::OrgKind::Cell, 400_000),
        unit(5, Some(1), crate::orgs::OrgKind::GrassrootsCell, 100_000),
    ];
    let flows = allocate(&units, &rules);
    assert_eq!(
        flows[&OrgId(3)],
        Flow { subtree_collected: 600_000, received: 600_000, kept: 180_000, remitted: 420_000 }
    );
    // The grassroots committee with its cells keeps 70 % of 1,000,000 and passes 300,000 up.
    let g = flows[&OrgId(2)];
    assert_eq!((g.subtree_collected, g.received, g.remitted, g.kept), (1_000_000, 700_000, 300_000, 400_000));
    assert_eq!(flows[&OrgId(5)].remitted, 30_000);
    let p = flows[&OrgId(1)];
    assert_eq!((p.subtree_collected, p.received, p.kept, p.remitted), (1_100_000, 330_000, 165_000, 165_000));
}

fn arb_month() -> impl Strategy<Value = Month> {
    (2015i32..2032, 1u32..=12).prop_map(|(y, mo)| Month::new(y, mo).unwrap())
}

fn arb_basis() -> impl Strategy<Value = Basis> {
    (arb_month(), 0usize..4, 0i64..200_000_000).prop_map(|(from, c, base)| {
        let category = Category::ALL[c];
        let base = matches!(category, Category::Insured | Category::Pensioner).then_some(base);
        Basis { from, category, base }
    })
}

fn arb_exemption() -> impl Strategy<Value = Exemption> {
    (arb_month(), 0usize..3, 0usize..4, 0i32..12).prop_map(|(from, k, p, len)| {
        let kind = ExemptionKind::ALL[k];
        let percent = if kind == ExemptionKind::Hardship { REDUCTIONS[p] } else { 100 };
        Exemption { kind, percent, from, until: Some(from.plus(len)) }
    })
}

proptest! {
    /// Whatever the history, a month's dues are never negative, nothing is due outside the
    /// Party or under an exemption, and a reduction never raises the amount.
    #[test]
    fn a_months_dues_keep_their_bounds(
        admitted in (1950i32..2030, 1u32..=12, 1u32..=28),
        bases in prop::collection::vec(arb_basis(), 0..4),
        exemptions in prop::collection::vec(arb_exemption(), 0..3),
        month in arb_month(),
        region in 1u8..=4,
    ) {
        let rules = DuesRules::default();
        let facts = MemberFacts { region, ..member(d(admitted.0, admitted.1, admitted.2)) };
        let line = month_due(month, &facts, &bases, &exemptions, &rules);
        prop_assert!(line.due >= 0);
        if !line.in_party || line.exempt.is_some() {
            prop_assert_eq!(line.due, 0);
        }
        let without = month_due(month, &facts, &bases, &[], &rules);
        prop_assert!(line.due <= without.due);
        prop_assert_eq!(line.regulation, regulation_in(month, &rules));
    }

    /// Whatever the tree and the amounts, nothing is created or lost on the way up: what every
    /// unit keeps plus what the roots pass up is what the members paid.
    #[test]
    fn the_shares_add_up_to_what_was_paid(amounts in prop::collection::vec(0i64..10_000_000, 1..30), keeps in prop::option::of(0u32..=100)) {
        use crate::orgs::OrgKind::*;
        let rules = DuesRules::default();
        let mut units = vec![
            Unit { id: OrgId(1), parent: None, kind: Province, keeps: None, collected: 0 },
            Unit { id: OrgId(2), parent: Some(OrgId(1)), kind: GrassrootsCommittee, keeps, collected: 0 },
            Unit { id: OrgId(3), parent: Some(OrgId(2)), kind: SubCommittee, keeps: None, collected: 0 },
        ];
        for (i, amount) in amounts.iter().enumerate() {
            let parent = if i % 2 == 0 { 2 } else { 3 };
            units.push(Unit { id: OrgId(10 + i as i64), parent: Some(OrgId(parent)), kind: Cell, keeps: None, collected: *amount });
        }
        let flows = allocate(&units, &rules);
        let total: i64 = amounts.iter().sum();
        let kept: i64 = units.iter().map(|u| flows[&u.id].kept).sum();
        prop_assert_eq!(kept + flows[&OrgId(1)].remitted, total);
        prop_assert!(units.iter().all(|u| flows[&u.id].kept >= 0 && flows[&u.id].remitted >= 0));
        prop_assert_eq!(flows[&OrgId(1)].subtree_collected, total);
    }

    /// The rounding of a share never strays by more than half the unit.
    #[test]
    fn a_share_is_rounded_half_up(amount in 0i64..1_000_000_000, rate in 0u32..10_000, unit in prop::sample::select(vec![1i64, 100, 500, 1000])) {
        let rules = DuesRules { round_to: unit, ..DuesRules::default() };
        let exact = amount as f64 * f64::from(rate) / 10_000.0;
        let got = rules.share_of(amount, rate);
        prop_assert_eq!(got % unit, 0);
        prop_assert!((got as f64 - exact).abs() <= unit as f64 / 2.0 + 1e-6);
    }
}
