//! Finding members in a subtree by name, card number or citizen id (issue 4, item 7).
//!
//! A typed word finds the members one of whose words (of the name, the card number or the
//! citizen id) starts with it, in any case and with or without diacritics: `dang` finds
//! Đặng, `duong` Đường, `0123` the card 0123456. Every word typed must match.
//!
//! Results come in the order of the tree, cell after cell and by id within a cell: a list
//! of members reads by unit, and the search can stop at the last line of the page. Which
//! members are read to find that page is chosen per search ([`plan`]):
//! - a word many members share (`nguyen`, `van`) is met every few members, so walking the
//!   subtree's cells in order fills a page quickly;
//! - a rarer word is read from `member_terms` (a few thousand entries at most), and only
//!   those members are checked against the subtree, however large it is.

use dangvu_domain::ids::{MemberId, OrgId};
use std::collections::BTreeSet;

use chrono::NaiveDate;
use dangvu_domain::members::MemberStatus;
use dangvu_domain::orgs::tree;
use dangvu_domain::text::fold;

use super::{COLUMNS, Member, col, from_row, with_periods};
use crate::{Backend, Db, StoreError, Tx, Value, params};

/// Words a search reads at most.
const MAX_WORDS: usize = 6;

/// How far the members of a word are counted when choosing how to search: past this, the
/// word is common enough that walking the subtree finds a page of it quickly. Counting
/// 5,000 index entries takes about a millisecond.
const COUNT_CAP: i64 = 5_000;

/// What reading a member found by a word costs (a seek to its row, then to its cell's
/// version), in members walked in a cell (one entry of the `members_search` index). Measured
/// on the members bench: about 2 µs against 0.5 µs.
const SEED_COST: f64 = 4.0;

/// Search in a subtree (versions on `today`), current members only, a page at a time.
#[derive(Debug, Clone, Copy)]
pub struct Search<'a> {
    pub path: &'a str,
    pub q: Option<&'a str>,
    pub status: Option<MemberStatus>,
    /// Where the page starts: after this member, in the order of the results.
    pub after: Option<&'a SearchCursor>,
    pub limit: i64,
}

/// A page of results and where the next one starts, when this one is full.
#[derive(Debug, Default)]
pub struct Found {
    pub members: Vec<Member>,
    pub next: Option<SearchCursor>,
}

/// The place of a member in the results: its cell's path, then its id. Written as the path
/// followed by the id (`/1/23/456/789`), which is all a client needs to ask for the next page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SearchCursor {
    pub path: String,
    pub member_id: MemberId,
}

impl SearchCursor {
    pub fn parse(text: &str) -> Option<SearchCursor> {
        let (path, id) = text.rsplit_once('/')?;
        let ids = path.strip_prefix('/')?;
        let well_formed = ids.split('/').all(|s| s.parse::<i64>().is_ok_and(|i| i > 0));
        let member_id = id.parse().ok().filter(|i: &MemberId| i.0 > 0)?;
        well_formed.then(|| SearchCursor { path: format!("{path}/"), member_id })
    }
}

impl std::fmt::Display for SearchCursor {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}{}", self.path, self.member_id)
    }
}

/// The words of a search, folded as `members.search_text` is; characters that mean
/// something to LIKE are left out.
pub fn words(q: &str) -> Vec<String> {
    fold(q)
        .split_whitespace()
        .map(|w| w.replace(['%', '_', '\\'], ""))
        .filter(|w| !w.is_empty())
        .take(MAX_WORDS)
        .collect()
}

/// The distinct words a member is found by, from its `search_text`.
pub fn terms(search_text: &str) -> BTreeSet<&str> {
    search_text.split_whitespace().collect()
}

/// The exclusive upper bound of the words that start with `prefix`, in byte order (which
/// is code point order in UTF-8): the prefix with its last character moved up by one.
pub fn prefix_end(prefix: &str) -> String {
    let mut chars: Vec<char> = prefix.chars().collect();
    while let Some(last) = chars.pop() {
        let next = match last as u32 + 1 {
            0xD800 => Some('\u{E000}'),
            n => char::from_u32(n),
        };
        if let Some(next) = next {
            chars.push(next);
            return chars.into_iter().collect();
        }
    }
    // Only the last character there is, over and over: no string bounds these words, and
    // the longest name is far shorter than this one.
    format!("{prefix}\u{10FFFF}")
}

/// How a search reads its members.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Plan {
    /// Walk the subtree's cells in order, checking every word on each member.
    Walk,
    /// Read the members of the word at this index from `member_terms`, then keep those in
    /// the subtree that match every other word.
    Seed(usize),
}

/// Chooses how to search from counts: `in_subtree` members in the subtree, `everywhere`
/// members in the whole tree, and for each word the members it finds in the whole tree
/// (counted up to [`COUNT_CAP`]). Walking costs the members read until a page is found,
/// if the words spread evenly; seeding costs the members of the rarest word, each
/// [`SEED_COST`] times a walked member.
pub fn plan(in_subtree: i64, everywhere: i64, word_counts: &[i64], limit: i64) -> Plan {
    let Some((rarest, &fewest)) = word_counts.iter().enumerate().min_by_key(|(_, c)| **c) else {
        return Plan::Walk;
    };
    if fewest >= COUNT_CAP || in_subtree <= fewest {
        return Plan::Walk;
    }
    let everywhere = everywhere.max(1) as f64;
    let share: f64 = word_counts.iter().map(|&c| (c as f64 / everywhere).min(1.0)).product();
    let walked = if share > 0.0 { (limit.max(1) as f64 / share).min(in_subtree as f64) } else { in_subtree as f64 };
    if SEED_COST * (fewest as f64) < walked { Plan::Seed(rarest) } else { Plan::Walk }
}

/// One page of the search.
pub async fn search(db: &Db, s: &Search<'_>, today: NaiveDate) -> Result<Found, StoreError> {
    let words = s.q.map(words).unwrap_or_default();
    let plan = choose(db, s, &words).await?;
    // A page after the first starts at its cursor's cell, not at the subtree's first one.
    let from_path = match s.after {
        Some(after) if after.path.as_str() > s.path => after.path.as_str(),
        _ => s.path,
    };
    let mut values: Vec<Value> = vec![
        from_path.into(),
        tree::subtree_end(s.path).into(),
        today.into(),
        s.status.map(|x| x.as_str()).unwrap_or("").into(),
        s.limit.into(),
    ];
    // A walk goes through the subtree's cells in path order and their members by the
    // `members_search` index, so that it stops at the end of the page; a seed starts from the
    // word's members and checks each one's cell. CROSS JOIN fixes SQLite's join order.
    // PostgreSQL plans a plain join as one scan of every member in the country filtered by
    // the words (it cannot know that the page fills early); the lateral subquery, which it
    // does not flatten because of its OFFSET, makes it read cell by cell in path order too.
    // The words are bound first: the walk on PostgreSQL checks them inside its subquery.
    let mut likes: Vec<usize> = Vec::with_capacity(words.len());
    for w in &words {
        values.push(format!("% {w}%").into());
        likes.push(values.len());
    }
    let words_match = |text: &str| likes.iter().map(|k| format!(" AND (' ' || {text}) LIKE ${k}")).collect::<String>();
    let from = match (plan, db.backend()) {
        (Plan::Walk, Backend::Sqlite) => "org_versions v CROSS JOIN members m".to_owned(),
        // Without words every member is on the page (a list, an export): the rows are read
        // as the index finds them.
        (Plan::Walk, Backend::Postgres) if words.is_empty() => {
            "org_versions v CROSS JOIN LATERAL (SELECT * FROM members WHERE org_id = v.org_id OFFSET 0) m".to_owned()
        }
        // Each cell's members are checked in the `members_search` index alone, which holds
        // every column the checks read and the id (an index-only scan: a third less time
        // than reading each member's row); only those found are read from the table.
        (Plan::Walk, Backend::Postgres) => format!(
            "org_versions v CROSS JOIN LATERAL (
               SELECT id FROM members WHERE org_id = v.org_id AND ended_on IS NULL AND ($4 = '' OR status = $4){}
               OFFSET 0) hit
             JOIN members m ON m.id = hit.id",
            words_match("search_text")
        ),
        (Plan::Seed(i), _) => {
            values.push(words[i].as_str().into());
            values.push(prefix_end(&words[i]).into());
            format!(
                "(SELECT DISTINCT member_id FROM member_terms WHERE term >= ${} AND term < ${}) t
                 CROSS JOIN members m CROSS JOIN org_versions v",
                values.len() - 1,
                values.len()
            )
        }
    };
    let mut filters = String::new();
    if plan != Plan::Walk {
        filters.push_str(" AND m.id = t.member_id");
    }
    if let Some(after) = s.after {
        values.push(after.path.as_str().into());
        values.push(after.member_id.into());
        let (p, i) = (values.len() - 1, values.len());
        filters.push_str(&format!(" AND (v.path > ${p} OR m.id > ${i})"));
    }
    let pg_walk = plan == Plan::Walk && db.backend() == Backend::Postgres;
    if !pg_walk {
        // (The walk on PostgreSQL has checked them in its subquery.)
        filters.push_str(&words_match("m.search_text"));
    }
    let sql = format!(
        "SELECT {COLUMNS}, v.path FROM {from}
         WHERE v.org_id = m.org_id AND v.valid_from <= $3 AND (v.valid_to IS NULL OR v.valid_to > $3)
           AND v.path >= $1 AND v.path < $2 AND m.ended_on IS NULL AND ($4 = '' OR m.status = $4){filters}
         ORDER BY v.path, m.id LIMIT $5"
    );
    let rules = crate::settings::get(db).await?.membership_rules;
    let rows = db.query(&sql, &values).await?;
    let next = match rows.last() {
        Some(last) if s.limit > 0 && rows.len() as i64 == s.limit => {
            Some(SearchCursor { path: last.text(col::COUNT)?, member_id: last.id(col::id)? })
        }
        _ => None,
    };
    let list = rows.iter().map(|r| from_row(r, today, &rules)).collect::<Result<Vec<_>, _>>()?;
    Ok(Found { members: with_periods(db, &rows, list, today).await?, next })
}

/// Counts what [`plan`] weighs: the subtree's members and the whole tree's (kept totals,
/// one row each), and how many members each word finds.
async fn choose(db: &Db, s: &Search<'_>, words: &[String]) -> Result<Plan, StoreError> {
    let ids = tree::ids(s.path);
    let (Some(&root), Some(&org)) = (ids.first(), ids.last()) else { return Ok(Plan::Walk) };
    if words.is_empty() {
        return Ok(Plan::Walk);
    }
    let total = |id: OrgId| async move {
        let row = db
            .query_one("SELECT full_count + prob_count FROM org_member_totals WHERE org_id = $1", params![id])
            .await?;
        Ok::<i64, StoreError>(row.map(|r| r.int(0)).transpose()?.unwrap_or(0))
    };
    let in_subtree = total(org).await?;
    if in_subtree <= COUNT_CAP / 10 {
        // A cell or a small committee: reading all of it is cheaper than counting words.
        return Ok(Plan::Walk);
    }
    let everywhere = if root == org { in_subtree } else { total(root).await? };
    let mut counts = Vec::with_capacity(words.len());
    for w in words {
        let row = db
            .query_one(
                "SELECT COUNT(*) FROM (SELECT 1 FROM member_terms WHERE term >= $1 AND term < $2 LIMIT $3) t",
                params![w.as_str(), prefix_end(w), COUNT_CAP],
            )
            .await?;
        counts.push(row.map(|r| r.int(0)).transpose()?.unwrap_or(0));
    }
    Ok(plan(in_subtree, everywhere, &counts, s.limit))
}

/// Records the words of freshly written members: each `(id, search_text)` given.
pub(super) async fn index_terms(tx: &mut Tx, members: &[(i64, &str)]) -> Result<(), StoreError> {
    const ROWS: usize = 400;
    let mut pairs: Vec<(&str, i64)> =
        members.iter().flat_map(|(id, text)| terms(text).into_iter().map(move |t| (t, *id))).collect();
    // In the index's order: neighbouring rows of a statement land on the same pages.
    pairs.sort_unstable();
    for chunk in pairs.chunks(ROWS) {
        let values: Vec<Value> = chunk.iter().flat_map(|(t, id)| [(*t).into(), (*id).into()]).collect();
        tx.execute(&super::insert_sql("member_terms (term, member_id)", 2, chunk.len()), &values).await?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn words_fold_like_the_stored_text() {
        assert_eq!(words("  Đặng  THỊ hường "), ["dang", "thi", "huong"]);
        assert_eq!(words("50%_ \\"), ["50"]);
        assert_eq!(words("a b c d e f g h").len(), MAX_WORDS);
    }

    #[test]
    fn a_member_is_found_by_each_distinct_word_once() {
        let t = terms("nguyen van nguyen 012345  079123456789");
        assert_eq!(t.into_iter().collect::<Vec<_>>(), ["012345", "079123456789", "nguyen", "van"]);
    }

    #[test]
    fn the_prefix_range_holds_the_words_that_start_with_it() {
        assert_eq!(prefix_end("dang"), "danh");
        assert_eq!(prefix_end("an"), "ao");
        assert_eq!(prefix_end("09"), "0:");
        assert_eq!(prefix_end("a\u{D7FF}"), "a\u{E000}");
        assert_eq!(prefix_end("a\u{10FFFF}"), "b");
    }

    #[test]
    fn cursors_read_back_what_they_write() {
        let c = SearchCursor { path: "/1/23/456/".into(), member_id: MemberId(789) };
        assert_eq!(c.to_string(), "/1/23/456/789");
        assert_eq!(SearchCursor::parse("/1/23/456/789"), Some(c));
        for bad in ["", "789", "/5", "/1/x/789", "/1/2/", "/1/2/-4", "1/2/3", "//5", "/0/5"] {
            assert_eq!(SearchCursor::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn common_words_walk_the_subtree_and_rare_ones_seed_it() {
        // A province of 200,000 in a nation of 5,600,000.
        let (province, nation) = (200_000, 5_600_000);
        // "nguyen": counted past the cap, met every few members.
        assert_eq!(plan(province, nation, &[COUNT_CAP], 50), Plan::Walk);
        // A rare name: a few hundred members to check rather than the province.
        assert_eq!(plan(province, nation, &[300], 50), Plan::Seed(0));
        // "nguyen van hai": the rarest word seeds, the others filter.
        assert_eq!(plan(province, nation, &[COUNT_CAP, COUNT_CAP, 4_000], 50), Plan::Seed(2));
        // A cell: fewer members than the word has.
        assert_eq!(plan(15, nation, &[300], 50), Plan::Walk);
        // Nothing to count.
        assert_eq!(plan(province, nation, &[], 50), Plan::Walk);
        // A word nobody has: seeding reads nothing.
        assert_eq!(plan(province, nation, &[0], 50), Plan::Seed(0));
    }

    proptest! {
        #[test]
        fn every_word_with_the_prefix_sorts_inside_its_range(prefix in "[a-z0-9]{1,6}", tail in "[a-z0-9]{0,6}") {
            let word = format!("{prefix}{tail}");
            let end = prefix_end(&prefix);
            prop_assert!(word.as_str() >= prefix.as_str() && word.as_str() < end.as_str());
        }

        #[test]
        fn seeding_never_reads_more_than_the_walk_would(
            in_subtree in 1i64..6_000_000, extra in 0i64..6_000_000,
            counts in proptest::collection::vec(0i64..=COUNT_CAP, 1..6), limit in 1i64..500
        ) {
            if let Plan::Seed(i) = plan(in_subtree, in_subtree + extra, &counts, limit) {
                prop_assert!(counts[i] < in_subtree);
                prop_assert!(counts.iter().all(|c| *c >= counts[i]));
            }
        }
    }
}
