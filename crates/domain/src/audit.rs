//! The audit log is a hash chain: each entry's hash covers its own content and the hash
//! of the entry before it, so editing or deleting any entry breaks every hash after it.

use sha2::{Digest, Sha256};

/// The hash that the first entry chains to.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// What one audit entry records: who did what to which record, and when.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditContent<'a> {
    pub id: i64,
    /// Microseconds since the Unix epoch.
    pub at: i64,
    pub actor_id: Option<i64>,
    pub actor_name: &'a str,
    pub action: &'a str,
    pub entity: &'a str,
    pub entity_id: Option<i64>,
    /// JSON of the record before the change, if it existed.
    pub before: Option<&'a str>,
    /// JSON of the record after the change, if it still exists.
    pub after: Option<&'a str>,
}

impl AuditContent<'_> {
    /// The entry's hash, chained to `prev_hash`. Every field is length-prefixed so that no
    /// two different entries can be written as the same bytes.
    pub fn hash(&self, prev_hash: &str) -> String {
        let mut h = Sha256::new();
        let mut field = |bytes: &[u8]| {
            h.update((bytes.len() as u64).to_be_bytes());
            h.update(bytes);
        };
        field(prev_hash.as_bytes());
        field(&self.id.to_be_bytes());
        field(&self.at.to_be_bytes());
        field(self.actor_id.map(|i| i.to_string()).unwrap_or_default().as_bytes());
        field(self.actor_name.as_bytes());
        field(self.action.as_bytes());
        field(self.entity.as_bytes());
        field(self.entity_id.map(|i| i.to_string()).unwrap_or_default().as_bytes());
        field(self.before.unwrap_or("\u{0}none").as_bytes());
        field(self.after.unwrap_or("\u{0}none").as_bytes());
        let digest = h.finalize();
        let mut out = String::with_capacity(64);
        for b in digest.iter() {
            out.push_str(&format!("{b:02x}"));
        }
        out
    }
}

/// Why a stored chain does not verify.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ChainBreak {
    #[error("entry {id}: its content does not match its hash (edited)")]
    Edited { id: i64 },
    #[error("entry {id}: it does not follow the entry before it (an entry before it was removed or edited)")]
    Unlinked { id: i64 },
    #[error(
        "the chain ends at entry {found:?} but the head records entry {expected} (entries were removed from the end)"
    )]
    Truncated { expected: i64, found: Option<i64> },
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(id: i64, after: &str) -> AuditContent<'_> {
        AuditContent {
            id,
            at: 1_700_000_000_000_000 + id,
            actor_id: Some(1),
            actor_name: "admin",
            action: "org.create",
            entity: "org",
            entity_id: Some(id),
            before: None,
            after: Some(after),
        }
    }

    #[test]
    fn chain_detects_edits() {
        let h1 = entry(1, "{\"name\":\"A\"}").hash(GENESIS);
        let h2 = entry(2, "{\"name\":\"B\"}").hash(&h1);
        assert_eq!(h1.len(), 64);
        assert_ne!(entry(1, "{\"name\":\"X\"}").hash(GENESIS), h1);
        assert_ne!(entry(2, "{\"name\":\"B\"}").hash(GENESIS), h2);
    }

    #[test]
    fn absent_and_empty_differ() {
        let mut a = entry(1, "");
        let h = a.hash(GENESIS);
        a.after = None;
        assert_ne!(a.hash(GENESIS), h);
    }
}
