//! Loading members in bulk (`dangvu members import`): a province or the whole country in
//! one transaction, at the speed of the engine rather than of a statement per member.
//!
//! What a member's record needs is the same as in [`super::insert_cells`] (the record,
//! its first periods, its search words, the totals of every ancestor, one audit entry);
//! what changes is the order of the work. The ids are given here, so no row is read back;
//! the search words are kept in memory, compactly, and enter `member_terms` sorted, once
//! (each page appended to, not revisited); and
//! when the load is larger than the members already there, the secondary indexes of
//! `members` and `member_periods` are dropped at the start and built again at the end
//! (a sort of each column, instead of millions of inserts at random places in each
//! index). Everything happens in one transaction: readers see the members before the
//! load or after it, never a part of it or an index missing.

use std::collections::HashMap;

use chrono::NaiveDate;
use dangvu_domain::membership::MemberStatus;
use dangvu_domain::tree;
use rustc_hash::FxHashMap;
use serde_json::json;

use super::{
    CheckedMember, PERIODS, ROWS_PER_STATEMENT, add_to_many_totals, cell_paths, insert_sql, search, search_text,
};
use crate::audit::{self, Actor, Change};
use crate::db::Backend;
use crate::{StoreError, Tx, Value};

/// Values bound to one statement: far below the limits of both engines (32,766 and 65,535),
/// large enough that a statement's own cost is small against its rows'.
const VALUES_PER_STATEMENT: usize = 1_400;

/// The page cache while the indexes are built, in SQLite's units (negative: KiB): 512 MiB,
/// the most SQLite's sorter keeps in memory before it writes runs to merge.
const SORT_CACHE_KIB: i64 = -524_288;

/// The tables a bulk load writes whose secondary indexes it may build again.
const TABLES: [&str; 2] = ["members", "member_periods"];

/// A bulk load under way, in the transaction of [`crate::Db::begin_bulk`]: the half that
/// writes. The rows it writes are made by its [`BulkRows`], on another thread.
pub struct BulkLoad {
    first_id: i64,
    /// The indexes dropped at the start, as the statements that build them again.
    dropped: Vec<String>,
    members: Rows<MEMBER_VALUES>,
    periods: Rows<PERIOD_VALUES>,
    /// Members received, written or held until a statement is full.
    written: usize,
    now: i64,
}

/// The half of a bulk load that needs no database: gives each member its id, folds its
/// search text, numbers its words and counts it in its cell. It runs on the thread that
/// reads the file, so that the writer's core does nothing but write.
pub struct BulkRows {
    next_id: i64,
    first_id: i64,
    /// Full and probationary members added to each cell.
    per_cell: FxHashMap<i64, (i64, i64)>,
    words: Words,
    now: i64,
}

/// The rows of a batch of members, as [`BulkLoad::add`] writes them.
pub struct BulkBatch {
    members: Vec<Value>,
    periods: Vec<Value>,
}

const MEMBER_VALUES: usize = 14;
const PERIOD_VALUES: usize = 5;

/// The current cells that hold members, by their code: the cells an import file names.
pub async fn cells_by_code(tx: &mut Tx, on: NaiveDate) -> Result<HashMap<String, i64>, StoreError> {
    let rows = tx
        .query(
            "SELECT o.code, v.org_id FROM org_versions v JOIN orgs o ON o.id = v.org_id
             WHERE v.kind IN ('cell', 'grassroots_cell') AND v.valid_from <= $1 AND (v.valid_to IS NULL OR v.valid_to > $1)",
            &[on.into()],
        )
        .await?;
    rows.iter().map(|r| Ok((r.text(0)?, r.int(1)?))).collect()
}

impl BulkLoad {
    /// Starts a load of about `expected` members. Other writers of members wait until it
    /// ends (on SQLite the transaction already excludes them).
    pub async fn start(tx: &mut Tx, expected: usize) -> Result<BulkLoad, StoreError> {
        if tx.backend() == Backend::Postgres {
            // Reads go on; writers of members wait, so the ids given here stay ours.
            tx.batch("LOCK TABLE members IN SHARE ROW EXCLUSIVE MODE").await?;
        }
        let last = tx.query_one("SELECT COALESCE(MAX(id), 0) FROM members", &[]).await?;
        let last = last.map(|r| r.int(0)).transpose()?.unwrap_or(0);
        // The ids are dense enough that the largest is a fair count of the rows, and it is
        // one seek where COUNT(*) reads the whole table.
        let dropped = if expected as i64 > last { drop_indexes(tx).await? } else { Vec::new() };
        Ok(BulkLoad {
            first_id: last + 1,
            dropped,
            members: Rows::new(
                "members (id, org_id, full_name, search_text, birth_date, gender, status, admitted_on, ceremony_on,
                          official_on, national_id, phone, card_number, created_at)",
                tx.backend(),
            ),
            periods: Rows::new(PERIODS, tx.backend()),
            written: 0,
            now: crate::now_micros(),
        })
    }

    /// What makes the rows of this load, to be moved to the thread that reads them.
    pub fn rows(&self) -> BulkRows {
        BulkRows {
            next_id: self.first_id,
            first_id: self.first_id,
            per_cell: FxHashMap::default(),
            words: Words::default(),
            now: self.now,
        }
    }

    /// Members received so far.
    pub fn loaded(&self) -> usize {
        self.written
    }

    /// Writes a batch made by this load's [`BulkRows`], in the order they were made.
    pub async fn add(&mut self, tx: &mut Tx, batch: BulkBatch) -> Result<(), StoreError> {
        self.written += batch.members.len() / MEMBER_VALUES;
        self.members.values.extend(batch.members);
        self.members.write_full(tx).await?;
        // A period reaches the engine after its member (PostgreSQL checks the reference at
        // once): those of members still held wait with them.
        let last_written = self.first_id + self.written as i64 - 1 - (self.members.values.len() / MEMBER_VALUES) as i64;
        self.periods.values.extend(batch.periods);
        self.periods.write_full_while(tx, |period| matches!(period[0], Value::Int(m) if m <= last_written)).await
    }

    /// Checks the cells, files the words, builds the dropped indexes again, adds to the
    /// totals of every ancestor and writes the audit entry. Answers the members loaded.
    pub async fn finish(
        mut self,
        tx: &mut Tx,
        rows: BulkRows,
        actor: &Actor,
        today: NaiveDate,
    ) -> Result<usize, StoreError> {
        let loaded = self.loaded();
        if rows.first_id != self.first_id || rows.next_id - rows.first_id != loaded as i64 {
            // A batch was lost or came from another load: nothing of it may be committed.
            return Err(StoreError::Engine(format!(
                "bulk load: {} members made, {loaded} written",
                rows.next_id - rows.first_id
            )));
        }
        let BulkRows { per_cell, mut words, .. } = rows;
        let started = std::time::Instant::now();
        self.members.flush(tx).await?;
        self.periods.flush(tx).await?;
        // Every cell must hold members today: the keys are not checked row by row.
        let cells: Vec<i64> = per_cell.keys().copied().collect();
        let paths = cell_paths(tx, &cells, today, "cell").await?;
        let mut totals: HashMap<i64, (i64, i64)> = HashMap::new();
        for (cell, path) in cells.iter().zip(&paths) {
            let (full, prob) = per_cell[cell];
            for org in tree::ids(path) {
                let t = totals.entry(org).or_default();
                t.0 += full;
                t.1 += prob;
            }
        }
        let mut totals: Vec<(i64, (i64, i64))> = totals.into_iter().collect();
        totals.sort_unstable();
        for chunk in totals.chunks(ROWS_PER_STATEMENT) {
            add_to_many_totals(tx, chunk).await?;
        }
        // In the index's order: each page of `member_terms` is written once.
        let mut terms: Rows<2> = Rows::new("member_terms (term, member_id)", tx.backend());
        for (term, offset) in words.sorted() {
            terms.add([Value::Text(term), (self.first_id + offset).into()]);
            if terms.values.len() == terms.full_len() {
                terms.write_full(tx).await?;
            }
        }
        terms.flush(tx).await?;
        tracing::info!(secs = started.elapsed().as_secs_f64(), "bulk load: totals and search words written");
        let sqlite = tx.backend() == Backend::Sqlite;
        if sqlite && !self.dropped.is_empty() {
            // Building an index is a sort, which SQLite spreads over both cores when asked,
            // and keeps in memory up to the page cache's size (then merges runs from disk).
            let cache = tx.query_one("PRAGMA cache_size", &[]).await?.map(|r| r.int(0)).transpose()?;
            tx.batch(&format!("PRAGMA threads = 2; PRAGMA cache_size = {SORT_CACHE_KIB}")).await?;
            let mut built = Ok(());
            for sql in &self.dropped {
                built = tx.batch(sql).await;
                if built.is_err() {
                    break;
                }
            }
            // The writer's connection serves every later write: its settings come back first.
            tx.batch(&format!("PRAGMA threads = 0; PRAGMA cache_size = {}", cache.unwrap_or(-2000))).await?;
            built?;
        } else {
            for sql in &self.dropped {
                tx.batch(sql).await?;
            }
        }
        tracing::info!(
            secs = started.elapsed().as_secs_f64(),
            indexes = self.dropped.len(),
            "bulk load: indexes built"
        );
        let last_id = self.first_id + loaded as i64 - 1;
        if !sqlite && loaded > 0 {
            // The ids were given here: the identity column goes on after them.
            tx.execute("SELECT setval(pg_get_serial_sequence('members', 'id'), $1)", &[last_id.into()]).await?;
        }
        audit::append(
            tx,
            actor,
            Change {
                action: "member.import",
                entity: "member",
                entity_id: None,
                before: None,
                after: Some(json!({
                    "created": loaded, "cells": cells.len(),
                    "first_id": (loaded > 0).then_some(self.first_id),
                    "last_id": (loaded > 0).then_some(last_id),
                })),
            },
        )
        .await?;
        Ok(loaded)
    }
}

impl BulkRows {
    /// The rows of `members` (a cell id and a checked member each), with the same first
    /// periods as a member added one at a time. The cells are checked when the load finishes.
    pub fn prepare(&mut self, members: Vec<(i64, CheckedMember)>) -> BulkBatch {
        let mut batch = BulkBatch {
            members: Vec::with_capacity(members.len() * MEMBER_VALUES),
            periods: Vec::with_capacity(members.len() * PERIOD_VALUES * 2),
        };
        for (cell, m) in members {
            let id = self.next_id;
            self.next_id += 1;
            let text = search_text(&m);
            for term in search::terms(&text) {
                self.words.add(term, id - self.first_id);
            }
            let counts = self.per_cell.entry(cell).or_default();
            match m.status {
                MemberStatus::Full => counts.0 += 1,
                MemberStatus::Probationary => counts.1 += 1,
            }
            let (admitted_on, status) = (m.admitted_on, m.status.as_str());
            match m.official_on.filter(|o| m.status == MemberStatus::Full && *o > m.admitted_on) {
                Some(official_on) => {
                    let probationary = MemberStatus::Probationary.as_str();
                    batch.periods.extend([
                        id.into(),
                        cell.into(),
                        probationary.into(),
                        admitted_on.into(),
                        official_on.into(),
                    ]);
                    batch.periods.extend([id.into(), cell.into(), status.into(), official_on.into(), Value::Null]);
                }
                None => batch.periods.extend([id.into(), cell.into(), status.into(), admitted_on.into(), Value::Null]),
            }
            batch.members.extend([
                id.into(),
                cell.into(),
                m.full_name.into(),
                text.into(),
                m.birth_date.into(),
                m.gender.as_str().into(),
                status.into(),
                admitted_on.into(),
                m.ceremony_on.into(),
                m.official_on.into(),
                m.national_id.into(),
                m.phone.into(),
                m.card_number.into(),
                self.now.into(),
            ]);
        }
        batch
    }
}

/// Drops the secondary indexes of [`TABLES`] and, on PostgreSQL, the foreign keys of the
/// tables a load writes (checked row by row as they come, where adding them back checks
/// every row in one join) and the primary key of `member_terms` (built again by one sort:
/// the words of a national load went from 32 s to 16 s, the keys' rebuild took 10 s more),
/// and answers the statements that make them again, as the
/// database itself holds them: the schema stays written in one place, the migrations.
async fn drop_indexes(tx: &mut Tx) -> Result<Vec<String>, StoreError> {
    let [members, periods] = TABLES;
    let (indexes, keys) = match tx.backend() {
        // Indexes SQLite made for a key or a UNIQUE constraint have no SQL and stay; its
        // foreign keys are off for the whole load (`Db::begin_bulk`). A partial index stays
        // too: those of these tables hold ended memberships, and a load adds current
        // members only, so it would read the whole table to find nothing.
        Backend::Sqlite => {
            let indexes = tx
                .query(
                    "SELECT name, sql FROM sqlite_master
                     WHERE type = 'index' AND tbl_name IN ($1, $2) AND sql IS NOT NULL
                       AND sql NOT LIKE '% WHERE %' ORDER BY name",
                    &[members.into(), periods.into()],
                )
                .await?;
            (indexes, Vec::new())
        }
        // Those behind a constraint (the primary keys) stay, and so do the partial ones.
        Backend::Postgres => {
            let indexes = tx
                .query(
                    "SELECT i.relname, pg_get_indexdef(i.oid) FROM pg_index x
                       JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class t ON t.oid = x.indrelid
                      WHERE t.relname IN ($1, $2) AND t.relnamespace = to_regnamespace(current_schema())
                        AND x.indpred IS NULL
                        AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.oid)
                      ORDER BY i.relname",
                    &[members.into(), periods.into()],
                )
                .await?;
            let keys = tx
                .query(
                    "SELECT t.relname, c.conname, pg_get_constraintdef(c.oid) FROM pg_constraint c
                       JOIN pg_class t ON t.oid = c.conrelid
                      WHERE (c.contype = 'f' AND t.relname IN ($1, 'member_terms')
                             OR c.contype = 'p' AND t.relname = 'member_terms')
                        AND t.relnamespace = to_regnamespace(current_schema())
                      ORDER BY t.relname, c.conname",
                    &[periods.into()],
                )
                .await?;
            (indexes, keys)
        }
    };
    let mut dropped = Vec::with_capacity(indexes.len() + keys.len());
    for r in &indexes {
        let (name, sql) = (r.text(0)?, r.text(1)?);
        tx.batch(&format!("DROP INDEX \"{name}\"")).await?;
        dropped.push(sql);
    }
    for r in &keys {
        let (table, name, definition) = (r.text(0)?, r.text(1)?, r.text(2)?);
        tx.batch(&format!("ALTER TABLE \"{table}\" DROP CONSTRAINT \"{name}\"")).await?;
        dropped.push(format!("ALTER TABLE \"{table}\" ADD CONSTRAINT \"{name}\" {definition}"));
    }
    Ok(dropped)
}

/// The search words of the loaded members, kept compactly until they are filed in the
/// order of `member_terms`. A country's names share a few thousand words: each is numbered
/// once, and a member's name words are pairs of numbers. Card numbers and citizen ids are
/// each one member's: numbering them would hold a map of eleven million strings (most of
/// the reader's time went into hashing them and growing that map), so a word of digits is
/// kept as a number that sorts as its text does ([`DigitWord`]).
#[derive(Default)]
struct Words {
    /// Hashed with Fx: SipHash's defence against chosen keys costs more than the rest of
    /// the lookup, and the words come from an administrator's file.
    numbers: FxHashMap<Box<str>, u32>,
    /// The word's number and the member's place in the load.
    pairs: Vec<(u32, u32)>,
    /// A word of digits and the member's place in the load.
    digits: Vec<(DigitWord, u32)>,
}

impl Words {
    fn add(&mut self, word: &str, member: i64) {
        if let Some(digits) = DigitWord::new(word) {
            self.digits.push((digits, member as u32));
            return;
        }
        let next = self.numbers.len() as u32;
        let number = match self.numbers.get(word) {
            Some(n) => *n,
            None => *self.numbers.entry(word.into()).or_insert(next),
        };
        self.pairs.push((number, member as u32));
    }

    /// Every (word, member's place) in the order of the words, then of the members.
    fn sorted(&mut self) -> impl Iterator<Item = (String, i64)> {
        let mut words: Vec<(&str, u32)> = self.numbers.iter().map(|(w, n)| (&**w, *n)).collect();
        words.sort_unstable();
        let mut rank = vec![0u32; words.len()];
        for (r, (_, n)) in words.iter().enumerate() {
            rank[*n as usize] = r as u32;
        }
        let mut keys: Vec<u64> =
            self.pairs.iter().map(|(n, member)| (u64::from(rank[*n as usize]) << 32) | u64::from(*member)).collect();
        self.pairs = Vec::new();
        keys.sort_unstable();
        let mut digits = std::mem::take(&mut self.digits);
        digits.sort_unstable();
        let named = keys.into_iter().map(move |k| (words[(k >> 32) as usize].0, (k & u64::from(u32::MAX)) as i64));
        Merge { named: named.peekable(), digits: digits.into_iter().peekable() }
    }
}

/// The two sorted streams of [`Words::sorted`], merged in byte order of the words.
struct Merge<'a, N: Iterator<Item = (&'a str, i64)>, D: Iterator<Item = (DigitWord, u32)>> {
    named: std::iter::Peekable<N>,
    digits: std::iter::Peekable<D>,
}

impl<'a, N: Iterator<Item = (&'a str, i64)>, D: Iterator<Item = (DigitWord, u32)>> Iterator for Merge<'a, N, D> {
    type Item = (String, i64);

    fn next(&mut self) -> Option<(String, i64)> {
        let digits_first = match (self.named.peek(), self.digits.peek()) {
            (None, None) => return None,
            (Some(_), None) => false,
            (None, Some(_)) => true,
            (Some((word, member)), Some((digits, place))) => {
                let (text, len) = digits.text();
                (&text[..len], i64::from(*place)) < (word.as_bytes(), *member)
            }
        };
        if digits_first {
            self.digits.next().map(|(d, place)| (d.to_string(), i64::from(place)))
        } else {
            self.named.next().map(|(w, member)| (w.to_owned(), member))
        }
    }
}

/// A word of up to [`DigitWord::MAX`] ASCII digits as one number that orders as the text
/// does, byte by byte: each digit is a figure from 1 to 10 in base 11, and the places after
/// the word's end are 0, so that a word sorts before every longer word it begins.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
struct DigitWord(u64);

impl DigitWord {
    /// 11^18 fits in 64 bits; citizen ids have 12 digits, card numbers fewer.
    const MAX: usize = 18;

    fn new(word: &str) -> Option<DigitWord> {
        let bytes = word.as_bytes();
        if bytes.is_empty() || bytes.len() > Self::MAX || !bytes.iter().all(u8::is_ascii_digit) {
            return None;
        }
        let key = (0..Self::MAX).fold(0u64, |key, i| key * 11 + bytes.get(i).map_or(0, |b| u64::from(b - b'0') + 1));
        Some(DigitWord(key))
    }

    /// The word's bytes, in the first so many of an array.
    fn text(self) -> ([u8; Self::MAX], usize) {
        let mut figures = [0u8; Self::MAX];
        let mut key = self.0;
        for figure in figures.iter_mut().rev() {
            *figure = (key % 11) as u8;
            key /= 11;
        }
        let len = figures.iter().take_while(|d| **d > 0).count();
        for figure in &mut figures[..len] {
            *figure += b'0' - 1;
        }
        (figures, len)
    }
}

impl std::fmt::Display for DigitWord {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let (text, len) = self.text();
        // Only ASCII digits were put in.
        f.write_str(std::str::from_utf8(&text[..len]).map_err(|_| std::fmt::Error)?)
    }
}

/// Rows of `N` values waiting to be written to one table: on SQLite in statements of
/// [`VALUES_PER_STATEMENT`] values, every full one the same text, prepared once; on
/// PostgreSQL in a `COPY` of [`ROWS_PER_COPY`] rows.
struct Rows<const N: usize> {
    into: &'static str,
    backend: Backend,
    full: String,
    values: Vec<Value>,
}

/// Rows sent in one `COPY` on PostgreSQL: a few megabytes.
const ROWS_PER_COPY: usize = 20_000;

impl<const N: usize> Rows<N> {
    fn new(into: &'static str, backend: Backend) -> Rows<N> {
        let rows = VALUES_PER_STATEMENT / N;
        Rows { into, backend, full: insert_sql(into, N, rows), values: Vec::with_capacity(N * rows) }
    }

    /// The values written at a time.
    fn full_len(&self) -> usize {
        match self.backend {
            Backend::Sqlite => N * (VALUES_PER_STATEMENT / N),
            Backend::Postgres => N * ROWS_PER_COPY,
        }
    }

    fn add(&mut self, row: [Value; N]) {
        self.values.extend(row);
    }

    /// Writes the rows held as long as a full write's worth is held; the rest waits.
    async fn write_full(&mut self, tx: &mut Tx) -> Result<(), StoreError> {
        self.write_full_while(tx, |_| true).await
    }

    /// Writes the rows held, in order, a full write at a time while `ready` holds for the
    /// last row of the next one; the rest waits.
    async fn write_full_while(&mut self, tx: &mut Tx, ready: impl Fn(&[Value]) -> bool) -> Result<(), StoreError> {
        let size = self.full_len();
        let mut written = 0;
        while self.values.len() - written >= size && ready(&self.values[written + size - N..written + size]) {
            self.write(tx, written..written + size).await?;
            written += size;
        }
        self.values.drain(..written);
        Ok(())
    }

    /// Writes every row held.
    async fn flush(&mut self, tx: &mut Tx) -> Result<(), StoreError> {
        self.write_full(tx).await?;
        if !self.values.is_empty() {
            self.write(tx, 0..self.values.len()).await?;
            self.values.clear();
        }
        Ok(())
    }

    async fn write(&self, tx: &mut Tx, range: std::ops::Range<usize>) -> Result<(), StoreError> {
        let values = &self.values[range];
        match self.backend {
            Backend::Postgres => tx.copy_in(self.into, N, values).await.map(drop),
            Backend::Sqlite if values.len() == self.full_len() => tx.execute(&self.full, values).await.map(drop),
            Backend::Sqlite => tx.execute(&insert_sql(self.into, N, values.len() / N), values).await.map(drop),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn words_of_digits_are_kept_as_numbers_and_others_are_numbered() {
        let mut words = Words::default();
        for (word, member) in [("nguyen", 0), ("040175000010", 0), ("an", 0), ("nguyen", 1), ("2024a", 1), ("7", 1)] {
            words.add(word, member);
        }
        assert_eq!(words.numbers.len(), 3, "nguyen, an and 2024a");
        assert_eq!(words.digits.len(), 2);
        let sorted: Vec<(String, i64)> = words.sorted().collect();
        let expected = [("040175000010", 0), ("2024a", 1), ("7", 1), ("an", 0), ("nguyen", 0), ("nguyen", 1)];
        assert_eq!(sorted, expected.map(|(w, m)| (w.to_owned(), m)));
    }

    #[test]
    fn a_digit_word_is_at_most_eighteen_digits() {
        assert_eq!(DigitWord::new("999999999999999999").map(|d| d.to_string()).as_deref(), Some("999999999999999999"));
        assert_eq!(DigitWord::new("1234567890123456789"), None);
        assert_eq!(DigitWord::new(""), None);
        assert_eq!(DigitWord::new("12a"), None);
        assert_eq!(DigitWord::new("١٢"), None, "digits of other scripts are words like any other");
    }

    proptest! {
        #[test]
        fn digit_words_order_as_their_text(a in "[0-9]{1,18}", b in "[0-9]{1,18}") {
            let (da, db) = (DigitWord::new(&a).unwrap(), DigitWord::new(&b).unwrap());
            prop_assert_eq!(da.to_string(), a.clone());
            prop_assert_eq!(da.cmp(&db), a.cmp(&b));
        }

        #[test]
        fn the_words_come_out_in_the_order_of_the_index(
            entries in proptest::collection::vec(("[0-9]{1,4}|[a-z0-9]{1,3}|[0-9]{19}", 0i64..50), 0..60)
        ) {
            let mut words = Words::default();
            let mut expected: Vec<(String, i64)> = entries.iter().map(|(w, m)| (w.clone(), *m)).collect();
            expected.sort();
            expected.dedup();
            for (w, m) in &expected {
                words.add(w, *m);
            }
            let sorted: Vec<(String, i64)> = words.sorted().collect();
            prop_assert_eq!(sorted, expected);
        }
    }
}
