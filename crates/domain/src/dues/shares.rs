//! Where the dues go: each organisation keeps a share of what reaches it and passes the rest
//! up (QĐ 342's shares by default; those of QĐ 01 were not found and are settings). A
//! grassroots organisation's share counts everything its subtree collected, its cells' shares
//! included, so what it passes up does not depend on how its cells split theirs.

use std::collections::HashMap;

use super::DuesRules;
use crate::ids::OrgId;
use crate::orgs::OrgKind;

/// An organisation of the subtree, as the allocation reads it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unit {
    pub id: OrgId,
    pub parent: Option<OrgId>,
    pub kind: OrgKind,
    /// A share set on this organisation (a commune's grassroots committee keeps 90 %).
    pub keeps: Option<u32>,
    /// What its own members paid (a cell's members; committees hold none).
    pub collected: i64,
}

/// What passed through one organisation.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Flow {
    /// Everything its subtree collected.
    pub subtree_collected: i64,
    /// What reached it: its own members' dues and what its children passed up.
    pub received: i64,
    pub kept: i64,
    /// What it passed to the level above.
    pub remitted: i64,
}

/// The flow of every unit. `units` lists a subtree's organisations, parents before children
/// (by path); a unit whose parent is outside the list is a root of the allocation.
pub fn allocate(units: &[Unit], rules: &DuesRules) -> HashMap<OrgId, Flow> {
    let mut flows: HashMap<OrgId, Flow> = HashMap::with_capacity(units.len());
    // Children first: walk the list backwards, each unit adding its remittance to its parent.
    for unit in units.iter().rev() {
        let mut flow = flows.remove(&unit.id).unwrap_or_default();
        flow.subtree_collected += unit.collected;
        flow.received += unit.collected;
        let share = unit.keeps.unwrap_or_else(|| default_share(unit.kind, rules));
        flow.remitted = if unit.kind.is_grassroots() {
            let keeps_of_subtree = rules.share_of(flow.subtree_collected, share * 100);
            (flow.subtree_collected - keeps_of_subtree).clamp(0, flow.received)
        } else {
            flow.received - rules.share_of(flow.received, share * 100)
        };
        flow.kept = flow.received - flow.remitted;
        if let Some(parent) = unit.parent {
            let up = flows.entry(parent).or_default();
            up.received += flow.remitted;
            up.subtree_collected += flow.subtree_collected;
        }
        flows.insert(unit.id, flow);
    }
    flows
}

fn default_share(kind: OrgKind, rules: &DuesRules) -> u32 {
    match kind {
        OrgKind::Cell => rules.shares.cell,
        OrgKind::SubCommittee => rules.shares.sub_committee,
        OrgKind::GrassrootsCommittee | OrgKind::GrassrootsCell => rules.shares.grassroots,
        OrgKind::Committee | OrgKind::Province => rules.shares.higher,
    }
}
