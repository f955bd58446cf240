//! The targets table of a draft (bảng chỉ tiêu): for each target, last term's target, what was
//! achieved and next term's target, kept as data beside the text so that versions can be
//! compared target by target and the table exported. The values stay as written ("7 - 7,5",
//! "≥ 95"): a congress's figures are ranges and bounds as often as numbers.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::text::{clean, fold};
use crate::validation::Problems;

/// The most targets a draft carries: a provincial report has a few dozen.
pub const MAX_TARGETS: usize = 300;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Target {
    /// "Tốc độ tăng trưởng GRDP bình quân".
    pub name: String,
    /// "%/năm", "đảng viên" …
    #[serde(default)]
    pub unit: String,
    /// Last term's target (chỉ tiêu nhiệm kỳ trước).
    #[serde(default)]
    pub previous_target: String,
    /// Achieved (kết quả thực hiện).
    #[serde(default)]
    pub achieved: String,
    /// Next term's target (chỉ tiêu nhiệm kỳ tới).
    #[serde(default)]
    pub next_target: String,
}

impl Target {
    /// The target with its words cleaned as they are stored.
    pub fn cleaned(&self) -> Target {
        Target {
            name: clean(&self.name),
            unit: clean(&self.unit),
            previous_target: clean(&self.previous_target),
            achieved: clean(&self.achieved),
            next_target: clean(&self.next_target),
        }
    }

    /// What two versions compare a target by: its name, case and diacritics aside.
    fn key(&self) -> String {
        fold(&self.name)
    }
}

/// The problems of a table: at most [`MAX_TARGETS`] rows, each named once, short values.
pub fn check_targets(rows: &[Target], problems: &mut Problems) {
    if rows.len() > MAX_TARGETS {
        problems.add("targets", format!("Tối đa {MAX_TARGETS} chỉ tiêu"));
        return;
    }
    let mut seen = std::collections::HashSet::new();
    for (i, t) in rows.iter().enumerate() {
        let field = format!("targets[{i}]");
        let n = t.name.trim().chars().count();
        if n == 0 || n > 300 {
            problems.add(&field, "Tên chỉ tiêu từ 1 đến 300 ký tự");
        } else if !seen.insert(t.key()) {
            problems.add(&field, format!("Chỉ tiêu \"{}\" có hai lần", t.name.trim()));
        }
        if [&t.unit, &t.previous_target, &t.achieved, &t.next_target].iter().any(|v| v.chars().count() > 100) {
            problems.add(&field, "Mỗi giá trị tối đa 100 ký tự");
        }
    }
}

/// A table typed one target a line, its five values separated by `|`: "Tăng trưởng GRDP |
/// %/năm | 7 | 7,2 | 8". Missing values are empty; blank lines are skipped.
pub fn parse_lines(text: &str) -> Result<Vec<Target>, String> {
    let mut rows = Vec::new();
    for (n, line) in text.lines().enumerate().filter(|(_, l)| !l.trim().is_empty()) {
        let parts: Vec<&str> = line.split('|').map(str::trim).collect();
        if parts.len() > 5 {
            return Err(format!("Dòng {}: tối đa 5 cột (tên | đơn vị | chỉ tiêu cũ | đạt được | chỉ tiêu mới)", n + 1));
        }
        let part = |i: usize| parts.get(i).copied().unwrap_or_default().to_owned();
        rows.push(Target {
            name: part(0),
            unit: part(1),
            previous_target: part(2),
            achieved: part(3),
            next_target: part(4),
        });
    }
    Ok(rows)
}

/// How one target stands between two versions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
#[serde(tag = "change", rename_all = "snake_case")]
pub enum TargetChange {
    Same {
        target: Target,
    },
    /// The same name with other values (or its name written otherwise).
    Changed {
        before: Target,
        after: Target,
    },
    Added {
        target: Target,
    },
    Removed {
        target: Target,
    },
}

/// The targets of `new` in their order, each the same, changed or added against `old`, then
/// those of `old` no longer there. Targets are matched by name, case and diacritics aside.
pub fn compare_targets(old: &[Target], new: &[Target]) -> Vec<TargetChange> {
    let mut out = Vec::with_capacity(new.len());
    for t in new {
        match old.iter().find(|o| o.key() == t.key()) {
            Some(o) if o == t => out.push(TargetChange::Same { target: t.clone() }),
            Some(o) => out.push(TargetChange::Changed { before: o.clone(), after: t.clone() }),
            None => out.push(TargetChange::Added { target: t.clone() }),
        }
    }
    for o in old.iter().filter(|o| !new.iter().any(|t| t.key() == o.key())) {
        out.push(TargetChange::Removed { target: o.clone() });
    }
    out
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    fn t(name: &str, next: &str) -> Target {
        Target {
            name: name.into(),
            unit: "%".into(),
            previous_target: "7".into(),
            achieved: "7,2".into(),
            next_target: next.into(),
        }
    }

    #[test]
    fn lines_become_targets_and_a_name_is_needed_once() {
        let rows = parse_lines("Tăng trưởng GRDP | %/năm | 7 | 7,2 | 8\n\nKết nạp đảng viên | người | 1.000").unwrap();
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[1].achieved, "");
        assert!(parse_lines("a|b|c|d|e|f").is_err());
        let mut p = Problems::new();
        check_targets(&rows, &mut p);
        assert!(p.is_empty());
        check_targets(&[t("Tăng trưởng", "8"), t("TĂNG TRƯỞNG", "9"), t(" ", "")], &mut p);
        assert_eq!(p.len(), 2);
    }

    #[test]
    fn versions_are_compared_target_by_target() {
        let old = [t("Tăng trưởng GRDP", "8"), t("Tỷ lệ hộ nghèo", "2"), t("Kết nạp đảng viên", "1.000")];
        let new = [t("Tăng trưởng GRDP", "8,5"), t("Kết nạp đảng viên", "1.000"), t("Chuyển đổi số", "100")];
        let changes = compare_targets(&old, &new);
        let kinds: Vec<&str> = changes
            .iter()
            .map(|c| match c {
                TargetChange::Same { .. } => "same",
                TargetChange::Changed { .. } => "changed",
                TargetChange::Added { .. } => "added",
                TargetChange::Removed { .. } => "removed",
            })
            .collect();
        assert_eq!(kinds, ["changed", "same", "added", "removed"]);
    }

    fn table() -> impl Strategy<Value = Vec<Target>> {
        prop::collection::btree_map("[a-e]{1,3}", "[0-9]{0,2}", 0..8)
            .prop_map(|m| m.into_iter().map(|(name, next)| t(&name, &next)).collect())
    }

    proptest! {
        /// Every target of the new version appears once as same, changed or added; every one
        /// of the old version once as same, changed or removed; a version compared with itself
        /// is the same throughout.
        #[test]
        fn every_target_is_accounted_for_once(old in table(), new in table()) {
            let changes = compare_targets(&old, &new);
            let news = changes.iter().filter(|c| !matches!(c, TargetChange::Removed { .. })).count();
            let olds = changes.iter().filter(|c| !matches!(c, TargetChange::Added { .. })).count();
            prop_assert_eq!(news, new.len());
            prop_assert_eq!(olds, old.len());
            let unchanged = compare_targets(&new, &new).iter().all(|c| matches!(c, TargetChange::Same { .. }));
            prop_assert!(unchanged);
        }
    }
}
