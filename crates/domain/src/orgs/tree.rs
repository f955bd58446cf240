//! The encoding of the tree: each version of an organisation stores its materialised
//! path, the ids from the root down to itself, as `/1/23/456/`.
//!
//! "Everything below X" is then one index range scan, `path > X.path AND path < end(X.path)`,
//! and "is X below Y" is a prefix test, with no recursion at any size.

use crate::ids::OrgId;

/// The path of a root organisation.
pub fn root_path(id: OrgId) -> String {
    format!("/{id}/")
}

/// The path of `id` placed under a parent whose path is `parent_path`.
pub fn child_path(parent_path: &str, id: OrgId) -> String {
    format!("{parent_path}{id}/")
}

/// The exclusive upper bound of the paths that start with `path`.
///
/// Paths hold only digits and `/`, and `'0'` is the character after `'/'`, so every
/// descendant sorts strictly between `path` and this bound (byte order, which is why
/// PostgreSQL declares the column `COLLATE "C"`).
pub fn subtree_end(path: &str) -> String {
    debug_assert!(path.ends_with('/'));
    let mut end = path[..path.len() - 1].to_owned();
    end.push('0');
    end
}

/// True when the node at `path` lies in the subtree rooted at `ancestor` (itself included).
pub fn is_within(path: &str, ancestor: &str) -> bool {
    path.starts_with(ancestor)
}

/// Depth of a node: 0 for a root.
pub fn depth(path: &str) -> i64 {
    path.bytes().filter(|b| *b == b'/').count() as i64 - 2
}

/// The ids from the root down to the node itself.
pub fn ids(path: &str) -> Vec<OrgId> {
    path.split('/').filter(|s| !s.is_empty()).filter_map(|s| s.parse().ok()).map(OrgId).collect()
}

/// The path after a subtree moves: the old prefix of the moved root is replaced by the new one.
pub fn rebase(path: &str, old_root: &str, new_root: &str) -> String {
    debug_assert!(path.starts_with(old_root));
    format!("{new_root}{}", &path[old_root.len()..])
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn paths() {
        let root = root_path(OrgId(1));
        let a = child_path(&root, OrgId(23));
        let b = child_path(&a, OrgId(456));
        assert_eq!(b, "/1/23/456/");
        assert_eq!(depth(&root), 0);
        assert_eq!(depth(&b), 2);
        assert_eq!(ids(&b), vec![OrgId(1), OrgId(23), OrgId(456)]);
        assert!(is_within(&b, &a));
        assert!(!is_within("/1/234/", &a));
        assert_eq!(rebase(&b, &a, "/1/7/"), "/1/7/456/");
    }

    proptest! {
        /// The range test used in SQL agrees with the prefix test, for any two paths.
        #[test]
        fn range_equals_prefix(a in prop::collection::vec(1i64..200, 1..5),
                               b in prop::collection::vec(1i64..200, 1..5)) {
            let pa = format!("/{}/", a.iter().map(|i| i.to_string()).collect::<Vec<_>>().join("/"));
            let pb = format!("/{}/", b.iter().map(|i| i.to_string()).collect::<Vec<_>>().join("/"));
            let in_range = pb.as_str() >= pa.as_str() && pb.as_str() < subtree_end(&pa).as_str();
            prop_assert_eq!(in_range, is_within(&pb, &pa));
            prop_assert_eq!(is_within(&pb, &pa), b.starts_with(&a));
        }
    }
}
