//! Delegates (đại biểu) of a congress: the seats the convening committee allocates to each
//! unit below, the delegation each lower congress elects (official delegates and alternates in
//! the order of their votes), the credentials committee's review of each delegate (ban thẩm tra
//! tư cách: accepted or not, with a reason), an alternate taking the place of an official who
//! cannot come, and the count of those present that gives the elections their base
//! (QĐ 190-QĐ/TW Điều 30). The credentials of a delegate are a state machine,
//! [`Credentials::after`], drawn in `docs/state-machines/delegate.md`.

use serde::{Deserialize, Serialize};

use super::CongressKind;
use crate::elections::{Electors, Exclusion};
use crate::validation::Problems;

/// How someone comes to sit in the congress.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Source {
    /// Elected by the congress (or conference) of a unit below: counts against its seats.
    Elected,
    /// A member of the convening committee, a delegate by right (đại biểu đương nhiên).
    ExOfficio,
    /// Appointed by the higher committee where a unit cannot hold its own election (đại biểu
    /// chỉ định): counts against the unit's seats like an elected one.
    Appointed,
    /// A full member summoned to a members' congress (đại hội đảng viên).
    Member,
}

impl Source {
    pub const ALL: [Source; 4] = [Source::Elected, Source::ExOfficio, Source::Appointed, Source::Member];

    pub fn as_str(self) -> &'static str {
        match self {
            Source::Elected => "elected",
            Source::ExOfficio => "ex_officio",
            Source::Appointed => "appointed",
            Source::Member => "member",
        }
    }

    pub fn parse(s: &str) -> Option<Source> {
        Source::ALL.into_iter().find(|k| k.as_str() == s)
    }

    pub fn label(self) -> &'static str {
        match self {
            Source::Elected => "Đại biểu bầu",
            Source::ExOfficio => "Đại biểu đương nhiên",
            Source::Appointed => "Đại biểu chỉ định",
            Source::Member => "Đảng viên được triệu tập",
        }
    }

    /// Whether the source fits the congress: delegates come to a delegates' congress, members
    /// to a members' congress.
    pub fn fits(self, kind: CongressKind) -> bool {
        match kind {
            CongressKind::Members => self == Source::Member,
            CongressKind::Delegates => self != Source::Member,
        }
    }

    /// Whether the delegate takes one of the unit's allocated seats.
    pub fn takes_a_seat(self) -> bool {
        matches!(self, Source::Elected | Source::Appointed)
    }
}

/// Official (chính thức) or alternate (dự khuyết): an alternate sits only in the place of an
/// official of the same delegation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Official,
    Alternate,
}

impl Role {
    pub const ALL: [Role; 2] = [Role::Official, Role::Alternate];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Official => "official",
            Role::Alternate => "alternate",
        }
    }

    pub fn parse(s: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|k| k.as_str() == s)
    }

    pub fn label(self) -> &'static str {
        match self {
            Role::Official => "Chính thức",
            Role::Alternate => "Dự khuyết",
        }
    }
}

/// Where a delegate's credentials stand.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Credentials {
    /// In the list, not yet reviewed by the credentials committee.
    Awaiting,
    /// Accepted (công nhận tư cách đại biểu).
    Accepted,
    /// Not accepted, with the reason (không công nhận): the person does not sit nor vote.
    Rejected,
    /// An official who cannot come, whose place an alternate took.
    Replaced,
}

/// What the credentials committee or the convening committee decides about a delegate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Decision {
    Accept,
    Reject,
    /// An alternate takes this official's place.
    Replace,
}

impl Credentials {
    pub const ALL: [Credentials; 4] =
        [Credentials::Awaiting, Credentials::Accepted, Credentials::Rejected, Credentials::Replaced];

    pub fn as_str(self) -> &'static str {
        match self {
            Credentials::Awaiting => "awaiting",
            Credentials::Accepted => "accepted",
            Credentials::Rejected => "rejected",
            Credentials::Replaced => "replaced",
        }
    }

    pub fn parse(s: &str) -> Option<Credentials> {
        Credentials::ALL.into_iter().find(|k| k.as_str() == s)
    }

    pub fn label(self) -> &'static str {
        match self {
            Credentials::Awaiting => "Chưa thẩm tra",
            Credentials::Accepted => "Đủ tư cách",
            Credentials::Rejected => "Không công nhận tư cách",
            Credentials::Replaced => "Đã thay bằng đại biểu dự khuyết",
        }
    }

    /// Whether the person sits in the congress: in the list and not set aside.
    pub fn sits(self) -> bool {
        matches!(self, Credentials::Awaiting | Credentials::Accepted)
    }

    /// Where `decision` leads, or why it is refused. The committee may reject a delegate it
    /// accepted when it learns of a reason during the congress (a discipline, a loss of
    /// membership); a rejected or absent official's place may go to an alternate; a replaced
    /// delegate is out of the list for good.
    pub fn after(self, decision: Decision) -> Result<Credentials, &'static str> {
        use Credentials::*;
        use Decision::*;
        match (self, decision) {
            (Awaiting, Accept) => Ok(Accepted),
            (Accepted, Accept) => Err("Tư cách đại biểu này đã được công nhận"),
            (Rejected, Accept) => Err("Đại biểu này đã không được công nhận tư cách"),
            (Awaiting | Accepted, Reject) => Ok(Rejected),
            (Rejected, Reject) => Err("Đại biểu này đã không được công nhận tư cách"),
            (Awaiting | Accepted | Rejected, Replace) => Ok(Replaced),
            (Replaced, _) => Err("Đại biểu này đã được thay bằng đại biểu dự khuyết"),
        }
    }
}

impl Decision {
    pub const ALL: [Decision; 3] = [Decision::Accept, Decision::Reject, Decision::Replace];

    pub fn as_str(self) -> &'static str {
        match self {
            Decision::Accept => "accept",
            Decision::Reject => "reject",
            Decision::Replace => "replace",
        }
    }

    pub fn parse(s: &str) -> Option<Decision> {
        Decision::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

/// The seats of one unit: official delegates and alternates.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Seats {
    pub official: u32,
    pub alternates: u32,
}

impl Seats {
    pub fn of(self, role: Role) -> u32 {
        match role {
            Role::Official => self.official,
            Role::Alternate => self.alternates,
        }
    }
}

/// The problems of adding `adding` delegates of `role` to a delegation that already has
/// `taken` of them, against its allocated seats (none allocated: none may be added).
pub fn check_delegation(
    unit: &str,
    seats: Option<Seats>,
    role: Role,
    taken: u32,
    adding: u32,
    problems: &mut Problems,
) {
    let allowed = seats.map(|s| s.of(role)).unwrap_or(0);
    if seats.is_none() {
        problems.add("org_id", format!("{unit} chưa được phân bổ đại biểu cho đại hội này"));
    } else if taken + adding > allowed {
        problems.add(
            "role",
            format!(
                "{unit} được phân bổ {allowed} đại biểu {}, đã có {taken}: không thêm được {adding}",
                role.label().to_lowercase()
            ),
        );
    }
}

/// The problems of an alternate taking an official's place: the official still in the list,
/// the alternate of the same delegation and still in it. Delegates by right have no alternate
/// (their absence leaves the base by Điều 30 instead).
pub fn check_substitution(
    official: (Role, Source, Credentials, i64),
    alternate: (Role, Credentials, i64),
    problems: &mut Problems,
) {
    let (o_role, o_source, o_credentials, o_unit) = official;
    let (a_role, a_credentials, a_unit) = alternate;
    if o_role != Role::Official {
        problems.add("delegate", "Chỉ thay đại biểu chính thức");
    } else if o_source == Source::ExOfficio || o_source == Source::Member {
        problems.add("delegate", "Đại biểu đương nhiên (hay đảng viên được triệu tập) không có người dự khuyết thay");
    } else if let Err(why) = o_credentials.after(Decision::Replace) {
        problems.add("delegate", why);
    }
    if a_role != Role::Alternate {
        problems.add("alternate_id", "Người thay phải là đại biểu dự khuyết");
    } else if !a_credentials.sits() {
        problems.add("alternate_id", "Đại biểu dự khuyết này không còn trong danh sách");
    } else if a_unit != o_unit {
        problems.add("alternate_id", "Đại biểu dự khuyết phải cùng đoàn với đại biểu chính thức được thay");
    }
}

/// Seats for each unit in proportion to its members (the largest-remainder method), with at
/// least `floor` seats each: how a convening committee allocates `total` official seats. `None`
/// when the floor alone takes more than the total.
pub fn allocate(total: u32, members: &[u32], floor: u32) -> Option<Vec<u32>> {
    let units = members.len() as u64;
    let floors = units * u64::from(floor);
    if floors > u64::from(total) {
        return None;
    }
    let rest = u64::from(total) - floors;
    let all: u64 = members.iter().map(|&m| u64::from(m)).sum();
    let mut seats: Vec<u32> = vec![floor; members.len()];
    if all == 0 || rest == 0 {
        // Nobody to weigh by: what is left is shared evenly, the first units taking one more.
        let n = members.len() as u64;
        if let (Some(each), Some(extra)) = (rest.checked_div(n), rest.checked_rem(n)) {
            for (i, s) in seats.iter_mut().enumerate() {
                *s += (each + u64::from((i as u64) < extra)) as u32;
            }
        }
        return Some(seats);
    }
    let mut remainders: Vec<(u64, usize)> = Vec::with_capacity(members.len());
    let mut given = 0u64;
    for (i, &m) in members.iter().enumerate() {
        let share = rest * u64::from(m);
        let whole = share / all;
        seats[i] += whole as u32;
        given += whole;
        remainders.push((share % all, i));
    }
    // The largest remainders first; on equal remainders, the larger unit, then the first.
    remainders.sort_by(|a, b| b.0.cmp(&a.0).then(members[b.1].cmp(&members[a.1])).then(a.1.cmp(&b.1)));
    for &(_, i) in remainders.iter().take((rest - given) as usize) {
        seats[i] += 1;
    }
    Some(seats)
}

/// One person in the list as the base of an election sees them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Attendance {
    pub role: Role,
    pub source: Source,
    pub credentials: Credentials,
    /// Checked in at any session so far.
    pub present: bool,
    /// For a members' congress: why the convening committee leaves them out (Điều 30).
    pub exclusion: Option<Exclusion>,
}

/// Those summoned to vote and the exclusions of Điều 30, from the list and the check-ins so
/// far: the numbers an election at this congress counts "more than half" against.
///
/// Summoned are the officials who sit (alternates vote only in an official's place, which makes
/// them officials). At a delegates' congress an official never checked in is absent for the
/// whole congress: a delegate by right as a committee member, any other as a delegate with no
/// alternate. At a members' congress the committee's reason stands: temporary transfer and
/// suspension always, exemption and an accepted absence only when the member did not come (an
/// exempt member who comes and votes counts). An absence without an accepted reason stays in
/// the base.
pub fn electors(kind: CongressKind, list: impl IntoIterator<Item = Attendance>) -> Electors {
    let mut electors = Electors::default();
    for a in list {
        if a.role != Role::Official || !a.credentials.sits() {
            continue;
        }
        electors.summoned += 1;
        let excluded = match kind {
            CongressKind::Delegates if a.present => None,
            CongressKind::Delegates if a.source == Source::ExOfficio => Some(Exclusion::CommitteeMemberAbsent),
            CongressKind::Delegates => Some(Exclusion::DelegateAbsentNoAlternate),
            CongressKind::Members => match a.exclusion {
                Some(e @ (Exclusion::TemporaryTransfer | Exclusion::Suspended)) => Some(e),
                Some(e @ (Exclusion::ExemptAbsent | Exclusion::AbsentWithReason)) if !a.present => Some(e),
                _ => None,
            },
        };
        if let Some(reason) = excluded {
            *electors.excluded.entry(reason).or_insert(0) += 1;
        }
    }
    electors
}

/// What the credentials committee should look at before accepting a delegate, from the
/// register: findings to read, never a decision (the committee decides, with its reason).
pub fn concerns(status_full: Option<bool>, in_delegation: Option<bool>) -> Vec<&'static str> {
    let mut found = Vec::new();
    if status_full == Some(false) {
        found.push("Là đảng viên dự bị: không được bầu làm đại biểu (Điều lệ Đảng, Điều 5)");
    }
    if in_delegation == Some(false) {
        found.push("Không sinh hoạt trong đảng bộ của đoàn đại biểu");
    }
    found
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use proptest::prelude::*;

    use super::*;

    #[test]
    fn the_diagram_draws_exactly_the_transitions_the_code_allows() {
        let drawn = crate::state_diagram::drawn(include_str!("../../../../docs/state-machines/delegate.md"));
        let mut allowed = BTreeSet::new();
        for state in Credentials::ALL {
            for decision in Decision::ALL {
                if let Ok(next) = state.after(decision) {
                    allowed.insert((state.as_str().to_owned(), next.as_str().to_owned(), decision.as_str().to_owned()));
                }
            }
        }
        assert_eq!(drawn, allowed, "docs/state-machines/delegate.md and Credentials::after disagree");
    }

    fn at(role: Role, source: Source, credentials: Credentials, present: bool) -> Attendance {
        Attendance { role, source, credentials, present, exclusion: None }
    }

    #[test]
    fn at_a_delegates_congress_the_absent_leave_the_base_by_their_reason() {
        use Credentials::*;
        use Role::*;
        use Source::*;
        let list = [
            at(Official, Elected, Accepted, true),
            at(Official, Elected, Accepted, false),
            at(Official, ExOfficio, Accepted, false),
            at(Official, Appointed, Awaiting, true),
            at(Official, Elected, Rejected, true),
            at(Official, Elected, Replaced, false),
            at(Alternate, Elected, Accepted, true),
        ];
        let e = electors(CongressKind::Delegates, list);
        assert_eq!(e.summoned, 4);
        assert_eq!(e.excluded.get(&Exclusion::CommitteeMemberAbsent), Some(&1));
        assert_eq!(e.excluded.get(&Exclusion::DelegateAbsentNoAlternate), Some(&1));
        assert_eq!(e.base(), 2);
    }

    #[test]
    fn at_a_members_congress_an_exempt_member_who_comes_counts_and_an_unexcused_absence_too() {
        let member = |present, exclusion| Attendance {
            role: Role::Official,
            source: Source::Member,
            credentials: Credentials::Accepted,
            present,
            exclusion,
        };
        let e = electors(
            CongressKind::Members,
            [
                member(true, Some(Exclusion::ExemptAbsent)),
                member(false, Some(Exclusion::ExemptAbsent)),
                member(false, Some(Exclusion::AbsentWithReason)),
                member(true, Some(Exclusion::Suspended)),
                member(false, Some(Exclusion::TemporaryTransfer)),
                member(false, None),
                member(true, None),
            ],
        );
        assert_eq!(e.summoned, 7);
        assert_eq!(e.excluded_total(), 4);
        assert_eq!(e.base(), 3);
        assert_eq!(e.excluded.get(&Exclusion::ExemptAbsent), Some(&1));
    }

    #[test]
    fn seats_are_checked_by_role_and_a_unit_without_seats_sends_nobody() {
        let mut p = Problems::new();
        let seats = Some(Seats { official: 3, alternates: 1 });
        check_delegation("Chi bộ A", seats, Role::Official, 2, 1, &mut p);
        check_delegation("Chi bộ A", seats, Role::Alternate, 0, 1, &mut p);
        assert!(p.is_empty());
        check_delegation("Chi bộ A", seats, Role::Official, 3, 1, &mut p);
        check_delegation("Chi bộ B", None, Role::Official, 0, 1, &mut p);
        let fields: Vec<_> = p.into_vec().into_iter().map(|e| e.field).collect();
        assert_eq!(fields, ["role", "org_id"]);
    }

    #[test]
    fn an_alternate_replaces_an_official_of_the_same_delegation_only() {
        use Credentials::*;
        let mut p = Problems::new();
        check_substitution((Role::Official, Source::Elected, Rejected, 7), (Role::Alternate, Awaiting, 7), &mut p);
        assert!(p.is_empty());
        check_substitution((Role::Official, Source::Elected, Accepted, 7), (Role::Alternate, Accepted, 8), &mut p);
        check_substitution((Role::Official, Source::ExOfficio, Accepted, 7), (Role::Official, Accepted, 7), &mut p);
        check_substitution((Role::Official, Source::Elected, Replaced, 7), (Role::Alternate, Replaced, 7), &mut p);
        assert_eq!(p.len(), 5);
    }

    #[test]
    fn seats_follow_the_members_by_the_largest_remainder() {
        assert_eq!(allocate(10, &[50, 30, 20], 0), Some(vec![5, 3, 2]));
        assert_eq!(allocate(10, &[50, 30, 20], 2), Some(vec![4, 3, 3]));
        assert_eq!(allocate(5, &[1, 1, 1], 2), None);
        assert_eq!(allocate(4, &[0, 0, 0], 1), Some(vec![2, 1, 1]));
        assert_eq!(allocate(0, &[], 0), Some(vec![]));
    }

    #[test]
    fn a_probationary_member_or_one_from_elsewhere_is_a_concern_never_a_decision() {
        assert!(concerns(Some(true), Some(true)).is_empty());
        assert_eq!(concerns(Some(false), Some(false)).len(), 2);
        assert!(concerns(None, None).is_empty());
    }

    proptest! {
        /// Whatever the members and the floor, every seat is given, each unit gets the floor,
        /// and a larger unit never gets fewer seats than a smaller one.
        #[test]
        fn allocation_gives_every_seat_in_order_of_size(
            members in prop::collection::vec(0u32..5_000, 1..60),
            extra in 0u32..400,
            floor in 0u32..4,
        ) {
            let total = members.len() as u32 * floor + extra;
            let seats = allocate(total, &members, floor).expect("the floor fits");
            prop_assert_eq!(seats.iter().sum::<u32>(), total);
            for (i, s) in seats.iter().enumerate() {
                prop_assert!(*s >= floor);
                for (j, t) in seats.iter().enumerate() {
                    if members[i] > members[j] {
                        prop_assert!(s >= t, "{:?} → {:?}", members, seats);
                    }
                }
            }
        }

        /// Any sequence of decisions: a replaced delegate never comes back, and only those in
        /// the list (awaiting or accepted) sit.
        #[test]
        fn any_sequence_of_decisions_keeps_the_rules(decisions in prop::collection::vec(prop::sample::select(Decision::ALL.to_vec()), 0..30)) {
            let mut state = Credentials::Awaiting;
            for d in decisions {
                match state.after(d) {
                    Ok(next) => {
                        prop_assert!(state != Credentials::Replaced);
                        if d == Decision::Accept {
                            prop_assert_eq!(state, Credentials::Awaiting);
                        }
                        state = next;
                    }
                    Err(why) => prop_assert!(!why.is_empty()),
                }
            }
            prop_assert_eq!(state.sits(), matches!(state, Credentials::Awaiting | Credentials::Accepted));
        }
    }
}
