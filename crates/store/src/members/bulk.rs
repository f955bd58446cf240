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

/// A bulk load under way, in the transaction of [`crate::Db::begin_bulk`].
pub struct BulkLoad {
    /// The id the next member gets.
    next_id: i64,
    first_id: i64,
    /// The indexes dropped at the start, as the statements that build them again.
    dropped: Vec<String>,
    /// Full and probationary members added to each cell.
    per_cell: HashMap<i64, (i64, i64)>,
    members: Rows<14>,
    periods: Rows<5>,
    words: Words,
    now: i64,
}

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
            next_id: last + 1,
            first_id: last + 1,
            dropped,
            per_cell: HashMap::new(),
            members: Rows::new(
                "members (id, org_id, full_name, search_text, birth_date, gender, status, admitted_on, ceremony_on,
                          official_on, national_id, phone, card_number, created_at)",
            ),
            periods: Rows::new(PERIODS),
            words: Words::default(),
            now: crate::now_micros(),
        })
    }

    /// Members loaded so far.
    pub fn loaded(&self) -> usize {
        (self.next_id - self.first_id) as usize
    }

    /// Writes `rows` (a cell id and a checked member each). The cells are checked when the
    /// load finishes.
    pub async fn add(&mut self, tx: &mut Tx, rows: &[(i64, CheckedMember)]) -> Result<(), StoreError> {
        for (cell, m) in rows {
            let id = self.next_id;
            self.next_id += 1;
            let text = search_text(m);
            for term in search::terms(&text) {
                self.words.add(term, id - self.first_id);
            }
            let counts = self.per_cell.entry(*cell).or_default();
            match m.status {
                MemberStatus::Full => counts.0 += 1,
                MemberStatus::Probationary => counts.1 += 1,
            }
            // The same first periods as a member added one at a time.
            let (cell, admitted_on, status) = (*cell, m.admitted_on, m.status.as_str());
            match m.official_on.filter(|o| m.status == MemberStatus::Full && *o > m.admitted_on) {
                Some(official_on) => {
                    let probationary = MemberStatus::Probationary.as_str();
                    let first = [id.into(), cell.into(), probationary.into(), admitted_on.into(), official_on.into()];
                    self.periods.hold(first);
                    self.periods.hold([id.into(), cell.into(), status.into(), official_on.into(), Value::Null]);
                }
                None => self.periods.hold([id.into(), cell.into(), status.into(), admitted_on.into(), Value::Null]),
            }
            let record = [
                id.into(),
                cell.into(),
                m.full_name.as_str().into(),
                text.into(),
                m.birth_date.into(),
                m.gender.as_str().into(),
                status.into(),
                admitted_on.into(),
                m.ceremony_on.into(),
                m.official_on.into(),
                m.national_id.as_deref().into(),
                m.phone.as_deref().into(),
                m.card_number.as_deref().into(),
                self.now.into(),
            ];
            // A period reaches the engine after its member: PostgreSQL checks the reference
            // at once.
            if self.members.push(tx, record).await? {
                self.periods.write_full(tx).await?;
            }
        }
        Ok(())
    }

    /// Checks the cells, files the words, builds the dropped indexes again, adds to the
    /// totals of every ancestor and writes the audit entry. Answers the members loaded.
    pub async fn finish(mut self, tx: &mut Tx, actor: &Actor, today: NaiveDate) -> Result<usize, StoreError> {
        let loaded = self.loaded();
        let started = std::time::Instant::now();
        self.members.flush(tx).await?;
        self.periods.flush(tx).await?;
        // Every cell must hold members today: the keys are not checked row by row.
        let cells: Vec<i64> = self.per_cell.keys().copied().collect();
        let paths = cell_paths(tx, &cells, today, "cell").await?;
        let mut totals: HashMap<i64, (i64, i64)> = HashMap::new();
        for (cell, path) in cells.iter().zip(&paths) {
            let (full, prob) = self.per_cell[cell];
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
        let mut terms: Rows<2> = Rows::new("member_terms (term, member_id)");
        for (term, offset) in self.words.sorted() {
            terms.push(tx, [term.into(), (self.first_id + offset).into()]).await?;
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
        if !sqlite && loaded > 0 {
            // The ids were given here: the identity column goes on after them.
            tx.execute("SELECT setval(pg_get_serial_sequence('members', 'id'), $1)", &[(self.next_id - 1).into()])
                .await?;
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
                    "last_id": (loaded > 0).then_some(self.next_id - 1),
                })),
            },
        )
        .await?;
        Ok(loaded)
    }
}

/// Drops the secondary indexes of [`TABLES`] and answers the statements that build them
/// again, as the database itself holds them: the schema stays written in one place, the
/// migrations.
async fn drop_indexes(tx: &mut Tx) -> Result<Vec<String>, StoreError> {
    let rows = match tx.backend() {
        // Indexes SQLite made for a key or a UNIQUE constraint have no SQL and stay.
        Backend::Sqlite => {
            tx.query(
                "SELECT name, sql FROM sqlite_master
                 WHERE type = 'index' AND tbl_name IN ($1, $2) AND sql IS NOT NULL ORDER BY name",
                &[TABLES[0].into(), TABLES[1].into()],
            )
            .await?
        }
        // Those behind a constraint (the primary keys) stay.
        Backend::Postgres => {
            tx.query(
                "SELECT i.relname, pg_get_indexdef(i.oid) FROM pg_index x
                   JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class t ON t.oid = x.indrelid
                  WHERE t.relname IN ($1, $2) AND t.relnamespace = to_regnamespace(current_schema())
                    AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.oid)
                  ORDER BY i.relname",
                &[TABLES[0].into(), TABLES[1].into()],
            )
            .await?
        }
    };
    let mut dropped = Vec::with_capacity(rows.len());
    for r in &rows {
        let (name, sql) = (r.text(0)?, r.text(1)?);
        tx.batch(&format!("DROP INDEX \"{name}\"")).await?;
        dropped.push(sql);
    }
    Ok(dropped)
}

/// The search words of the loaded members, kept compactly until they are filed in the
/// order of `member_terms`: each distinct word once, and a pair of numbers per member and
/// word (a country's names share a few thousand words; card numbers and citizen ids are
/// each one member's).
#[derive(Default)]
struct Words {
    numbers: HashMap<Box<str>, u32>,
    /// The word's number and the member's place in the load.
    pairs: Vec<(u32, u32)>,
}

impl Words {
    fn add(&mut self, word: &str, member: i64) {
        let next = self.numbers.len() as u32;
        let number = match self.numbers.get(word) {
            Some(n) => *n,
            None => *self.numbers.entry(word.into()).or_insert(next),
        };
        self.pairs.push((number, member as u32));
    }

    /// Every (word, member's place) in the order of the words, then of the members.
    fn sorted(&mut self) -> impl Iterator<Item = (&str, i64)> {
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
        keys.into_iter().map(move |k| (words[(k >> 32) as usize].0, (k & u64::from(u32::MAX)) as i64))
    }
}

/// Rows of `N` values waiting to be inserted into one table, [`VALUES_PER_STATEMENT`]
/// values at a time: every full statement is the same text, prepared once.
struct Rows<const N: usize> {
    into: &'static str,
    full: String,
    values: Vec<Value>,
}

impl<const N: usize> Rows<N> {
    fn new(into: &'static str) -> Rows<N> {
        let rows = VALUES_PER_STATEMENT / N;
        Rows { into, full: insert_sql(into, N, rows), values: Vec::with_capacity(N * rows) }
    }

    /// Adds a row, and writes the statement when it is full: answers whether it did.
    async fn push(&mut self, tx: &mut Tx, row: [Value; N]) -> Result<bool, StoreError> {
        self.values.extend(row);
        let full = self.values.len() == N * (VALUES_PER_STATEMENT / N);
        if full {
            tx.execute(&self.full, &self.values).await?;
            self.values.clear();
        }
        Ok(full)
    }

    /// Adds a row to be written by [`Rows::write_full`] or [`Rows::flush`].
    fn hold(&mut self, row: [Value; N]) {
        self.values.extend(row);
    }

    /// Writes the full statements of the rows held; the rest waits.
    async fn write_full(&mut self, tx: &mut Tx) -> Result<(), StoreError> {
        let size = N * (VALUES_PER_STATEMENT / N);
        let full = self.values.len() / size * size;
        for chunk in self.values[..full].chunks(size) {
            tx.execute(&self.full, chunk).await?;
        }
        self.values.drain(..full);
        Ok(())
    }

    async fn flush(&mut self, tx: &mut Tx) -> Result<(), StoreError> {
        if !self.values.is_empty() {
            tx.execute(&insert_sql(self.into, N, self.values.len() / N), &self.values).await?;
            self.values.clear();
        }
        Ok(())
    }
}
