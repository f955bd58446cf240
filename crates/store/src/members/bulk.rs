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

use dangvu_domain::audit::Action;
use dangvu_domain::ids::OrgId;
use std::collections::{HashMap, VecDeque};

use chrono::NaiveDate;
use dangvu_domain::members::MemberStatus;
use dangvu_domain::orgs::tree;
use rustc_hash::FxHashMap;
use serde_json::json;

use super::{
    CheckedMember, PERIODS, ROWS_PER_STATEMENT, add_to_many_totals, cell_paths, insert_sql, search, search_text,
};
use crate::audit::{self, Actor, Change, Subject};
use crate::db::Backend;
use crate::{Param, StoreError, Tx};

/// Values bound to one statement: far below the limits of both engines (32,766 and 65,535),
/// large enough that a statement's own cost is small against its rows'.
const VALUES_PER_STATEMENT: usize = 1_400;

/// How SQLite builds the indexes of a load: a sort, in runs of the page cache's size
/// (here SQLite's default, 2 MB) sorted by a second thread and written to temporary files,
/// then merged. Small runs sort in the processor's cache; one run of the whole registry in
/// memory (a cache of 512 MB, or `temp_store = MEMORY`, which the connections use for
/// their queries' temporary tables) took three times as long: `members_by_admitted_on` of
/// the national registry, 8.6 s and 10.4 s against 2.4 s.
const SORTING: &str = "PRAGMA threads = 2; PRAGMA cache_size = -2000";

/// … with the sort's runs in files. SQLite refuses to change where temporary tables live inside
/// a transaction once the connection has opened its temporary database (any earlier query that
/// sorted through a temporary table, on this pooled connection, may have): the load then sorts
/// in memory, slower but the same.
const SORTING_IN_FILES: &str = "PRAGMA temp_store = FILE";

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
    per_cell: FxHashMap<OrgId, (i64, i64)>,
    words: Words,
    now: i64,
}

/// The rows of a batch of members, as [`BulkLoad::add`] writes them.
pub struct BulkBatch {
    members: Part,
    periods: Part,
}

/// Rows of one table in a batch: their values, and the text of all of them in one buffer.
/// A batch crosses from the reader's thread to the writer's as a few allocations instead of
/// a `String` for each name, number and search text: the writer freeing what the reader
/// had allocated was half of its time in a national load.
#[derive(Default)]
struct Part {
    fields: Vec<Field>,
    text: String,
}

/// A value of a [`Part`].
#[derive(Debug, Clone, Copy, PartialEq)]
enum Field {
    Null,
    Int(i64),
    Date(NaiveDate),
    /// A text of the code's own (a status, a gender).
    Word(&'static str),
    /// Bytes `start..end` of the part's text.
    Text {
        start: usize,
        end: usize,
    },
}

impl Part {
    fn with_capacity(fields: usize, text: usize) -> Part {
        Part { fields: Vec::with_capacity(fields), text: String::with_capacity(text) }
    }

    fn push(&mut self, field: Field) {
        self.fields.push(field);
    }

    fn push_text(&mut self, text: &str) {
        let start = self.text.len();
        self.text.push_str(text);
        self.fields.push(Field::Text { start, end: self.text.len() });
    }

    fn push_opt_text(&mut self, text: Option<&str>) {
        match text {
            Some(text) => self.push_text(text),
            None => self.push(Field::Null),
        }
    }

    fn param(&self, field: Field) -> Param<'_> {
        match field {
            Field::Null => Param::Null,
            Field::Int(v) => Param::Int(v),
            Field::Date(d) => Param::Date(d),
            Field::Word(w) => Param::Text(w),
            Field::Text { start, end } => Param::Text(&self.text[start..end]),
        }
    }
}

impl From<Option<NaiveDate>> for Field {
    fn from(date: Option<NaiveDate>) -> Field {
        date.map_or(Field::Null, Field::Date)
    }
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
        self.written += batch.members.fields.len() / MEMBER_VALUES;
        self.members.add(batch.members);
        self.members.write_full(tx).await?;
        // A period reaches the engine after its member (PostgreSQL checks the reference at
        // once): those of members still held wait with them.
        let last_written = self.first_id + self.written as i64 - 1 - (self.members.len / MEMBER_VALUES) as i64;
        self.periods.add(batch.periods);
        self.periods.write_full_while(tx, |member| matches!(member, Field::Int(m) if m <= last_written)).await
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
        let BulkRows { per_cell, words, .. } = rows;
        let started = std::time::Instant::now();
        self.members.flush(tx).await?;
        self.periods.flush(tx).await?;
        // Every cell must hold members today: the keys are not checked row by row.
        let cells: Vec<OrgId> = per_cell.keys().copied().collect();
        let paths = cell_paths(tx, &cells, today, "cell").await?;
        let mut totals: HashMap<OrgId, (i64, i64)> = HashMap::new();
        for (cell, path) in cells.iter().zip(&paths) {
            let (full, prob) = per_cell[cell];
            for org in tree::ids(path) {
                let t = totals.entry(org).or_default();
                t.0 += full;
                t.1 += prob;
            }
        }
        let mut totals: Vec<(OrgId, (i64, i64))> = totals.into_iter().collect();
        totals.sort_unstable();
        for chunk in totals.chunks(ROWS_PER_STATEMENT) {
            add_to_many_totals(tx, chunk).await?;
        }
        // In the index's order: each page of `member_terms` is written once.
        let mut terms: Rows<2> = Rows::new("member_terms (term, member_id)", tx.backend());
        let (mut sorted, sorter) = words.file(self.first_id, terms.full_len());
        while let Some(part) = sorted.recv().await {
            terms.add(part);
            terms.write_full(tx).await?;
        }
        sorter.join().map_err(|_| StoreError::Engine("bulk load: the sorter of the search words stopped".into()))?;
        terms.flush(tx).await?;
        tracing::info!(secs = started.elapsed().as_secs_f64(), "bulk load: totals and search words written");
        let sqlite = tx.backend() == Backend::Sqlite;
        if sqlite && !self.dropped.is_empty() {
            let setting = |name: &str| format!("SELECT {name} FROM pragma_{name}");
            let cache = tx.query_one(&setting("cache_size"), &[]).await?.map(|r| r.int(0)).transpose()?;
            let temp = tx.query_one(&setting("temp_store"), &[]).await?.map(|r| r.int(0)).transpose()?;
            let mut built = tx.batch(SORTING).await;
            if built.is_ok() && tx.batch(SORTING_IN_FILES).await.is_err() {
                tracing::info!("bulk load: the temporary database is open, the indexes sort in memory");
            }
            for sql in &self.dropped {
                if built.is_err() {
                    break;
                }
                built = tx.batch(sql).await;
            }
            // The writer's connection serves every later write: its settings come back first.
            tx.batch(&format!(
                "PRAGMA threads = 0; PRAGMA cache_size = {}; PRAGMA temp_store = {}",
                cache.unwrap_or(-2000),
                temp.unwrap_or(0)
            ))
            .await?;
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
                action: Action::MemberImport,
                subject: Subject::members(),
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
            members: Part::with_capacity(members.len() * MEMBER_VALUES, members.len() * 128),
            periods: Part::with_capacity(members.len() * PERIOD_VALUES * 2, 0),
        };
        for (cell, m) in members {
            let id = self.next_id;
            self.next_id += 1;
            let text = search_text(&m);
            for term in search::terms(&text) {
                self.words.add(term, id - self.first_id);
            }
            let counts = self.per_cell.entry(OrgId(cell)).or_default();
            match m.status {
                MemberStatus::Full => counts.0 += 1,
                MemberStatus::Probationary => counts.1 += 1,
            }
            let (admitted_on, status) = (Field::Date(m.admitted_on), Field::Word(m.status.as_str()));
            let (id, cell) = (Field::Int(id), Field::Int(cell));
            let periods = &mut batch.periods.fields;
            match m.official_on.filter(|o| m.status == MemberStatus::Full && *o > m.admitted_on) {
                Some(official_on) => {
                    let probationary = Field::Word(MemberStatus::Probationary.as_str());
                    let official_on = Field::Date(official_on);
                    periods.extend([id, cell, probationary, admitted_on, official_on]);
                    periods.extend([id, cell, status, official_on, Field::Null]);
                }
                None => periods.extend([id, cell, status, admitted_on, Field::Null]),
            }
            let row = &mut batch.members;
            row.push(id);
            row.push(cell);
            row.push_text(&m.full_name);
            row.push_text(&text);
            row.push(Field::Date(m.birth_date));
            row.push(Field::Word(m.gender.as_str()));
            row.push(status);
            row.push(admitted_on);
            row.push(m.ceremony_on.into());
            row.push(m.official_on.into());
            row.push_opt_text(m.national_id.as_deref());
            row.push_opt_text(m.phone.as_deref());
            row.push_opt_text(m.card_number.as_deref());
            row.push(Field::Int(self.now));
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
    /// The rows of `member_terms` for these words, members numbered from `first_id`, in
    /// the index's order, in parts of `size` values. Sorting thirty million words and
    /// laying them out runs on a thread of its own: the core that read the file is free
    /// by then, and the writer's core only writes.
    fn file(mut self, first_id: i64, size: usize) -> (tokio::sync::mpsc::Receiver<Part>, std::thread::JoinHandle<()>) {
        let (send, receive) = tokio::sync::mpsc::channel(4);
        let sorter = std::thread::spawn(move || {
            let new_part = || Part::with_capacity(size, size * 8);
            let mut part = new_part();
            for (term, place) in self.sorted() {
                part.push_text(term.as_str());
                part.push(Field::Int(first_id + place));
                if part.fields.len() == size {
                    let full = std::mem::replace(&mut part, new_part());
                    if send.blocking_send(full).is_err() {
                        // The writer failed: it reports why.
                        return;
                    }
                }
            }
            let _ = send.blocking_send(part);
        });
        (receive, sorter)
    }

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
    fn sorted(&mut self) -> impl Iterator<Item = (Term<'_>, i64)> {
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
        // Each word of digits is spelled out once, to be compared and then written.
        let digits = digits.into_iter().map(|(d, place)| (d.text(), place));
        Merge { named: named.peekable(), digits: digits.peekable() }
    }
}

/// A word of [`Words::sorted`].
#[derive(Debug, Clone, Copy)]
enum Term<'a> {
    Named(&'a str),
    /// The bytes of a [`DigitWord`], in the first so many of an array.
    Digits([u8; DigitWord::MAX], usize),
}

impl Term<'_> {
    /// The word's text, borrowed: the words of a national load are thirty million, copied
    /// into one buffer a statement rather than each into its own `String`.
    fn as_str(&self) -> &str {
        match self {
            Term::Named(word) => word,
            // A `DigitWord` spells ASCII digits only.
            Term::Digits(text, len) => std::str::from_utf8(&text[..*len]).unwrap_or_default(),
        }
    }
}

impl std::fmt::Display for Term<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The bytes of a [`DigitWord`] and the member's place.
type DigitText = (([u8; DigitWord::MAX], usize), u32);

/// The two sorted streams of [`Words::sorted`], merged in byte order of the words.
struct Merge<'a, N: Iterator<Item = (&'a str, i64)>, D: Iterator<Item = DigitText>> {
    named: std::iter::Peekable<N>,
    digits: std::iter::Peekable<D>,
}

impl<'a, N: Iterator<Item = (&'a str, i64)>, D: Iterator<Item = DigitText>> Iterator for Merge<'a, N, D> {
    type Item = (Term<'a>, i64);

    fn next(&mut self) -> Option<(Term<'a>, i64)> {
        let digits_first = match (self.named.peek(), self.digits.peek()) {
            (None, None) => return None,
            (Some(_), None) => false,
            (None, Some(_)) => true,
            (Some((word, member)), Some(((text, len), place))) => {
                (&text[..*len], i64::from(*place)) < (word.as_bytes(), *member)
            }
        };
        if digits_first {
            self.digits.next().map(|((text, len), place)| (Term::Digits(text, len), i64::from(place)))
        } else {
            self.named.next().map(|(w, member)| (Term::Named(w), member))
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
/// PostgreSQL in a `COPY` of [`ROWS_PER_COPY`] rows. The parts are kept as they came: a
/// statement binds its values from one or two of them, nothing is copied in between.
struct Rows<const N: usize> {
    into: &'static str,
    backend: Backend,
    full: String,
    /// Parts not yet written in full, oldest first; the first `done` values of the first
    /// are written.
    held: VecDeque<Part>,
    done: usize,
    /// Values held and not written.
    len: usize,
}

/// Rows sent in one `COPY` on PostgreSQL: a few megabytes.
const ROWS_PER_COPY: usize = 20_000;

impl<const N: usize> Rows<N> {
    fn new(into: &'static str, backend: Backend) -> Rows<N> {
        let rows = VALUES_PER_STATEMENT / N;
        let mut new = Rows { into, backend, full: String::new(), held: VecDeque::new(), done: 0, len: 0 };
        new.full = new.insert_sql(rows);
        new
    }

    /// The statement that inserts `rows` rows; on SQLite with its own marks (`?1`), which
    /// the engine's layer would otherwise rewrite from `$1` for every statement.
    fn insert_sql(&self, rows: usize) -> String {
        let sql = insert_sql(self.into, N, rows);
        match self.backend {
            Backend::Sqlite => sql.replace('$', "?"),
            Backend::Postgres => sql,
        }
    }

    /// The values written at a time.
    fn full_len(&self) -> usize {
        match self.backend {
            Backend::Sqlite => N * (VALUES_PER_STATEMENT / N),
            Backend::Postgres => N * ROWS_PER_COPY,
        }
    }

    fn add(&mut self, part: Part) {
        debug_assert_eq!(part.fields.len() % N, 0, "whole rows");
        if !part.fields.is_empty() {
            self.len += part.fields.len();
            self.held.push_back(part);
        }
    }

    /// The next `n` values held, bound from their parts.
    fn params(&self, n: usize) -> Vec<Param<'_>> {
        let mut params = Vec::with_capacity(n);
        let mut skip = self.done;
        for part in &self.held {
            let take = (part.fields.len() - skip).min(n - params.len());
            params.extend(part.fields[skip..skip + take].iter().map(|f| part.param(*f)));
            skip = 0;
            if params.len() == n {
                break;
            }
        }
        params
    }

    /// The `k`th value held.
    fn at(&self, k: usize) -> Field {
        let mut k = k + self.done;
        for part in &self.held {
            match part.fields.get(k) {
                Some(field) => return *field,
                None => k -= part.fields.len(),
            }
        }
        Field::Null
    }

    /// Writes the rows held as long as a full write's worth is held; the rest waits.
    async fn write_full(&mut self, tx: &mut Tx) -> Result<(), StoreError> {
        self.write_full_while(tx, |_| true).await
    }

    /// Writes the rows held, in order, a full write at a time while `ready` holds for the
    /// first value of the last row of the next one; the rest waits.
    async fn write_full_while(&mut self, tx: &mut Tx, ready: impl Fn(Field) -> bool) -> Result<(), StoreError> {
        let size = self.full_len();
        while self.len >= size && ready(self.at(size - N)) {
            self.write(tx, size).await?;
        }
        Ok(())
    }

    /// Writes every row held.
    async fn flush(&mut self, tx: &mut Tx) -> Result<(), StoreError> {
        self.write_full(tx).await?;
        if self.len > 0 {
            self.write(tx, self.len).await?;
        }
        Ok(())
    }

    /// Writes the next `n` values held, and lets go of the parts written in full.
    async fn write(&mut self, tx: &mut Tx, n: usize) -> Result<(), StoreError> {
        let params = self.params(n);
        match self.backend {
            Backend::Postgres => tx.copy_in(self.into, N, &params).await.map(drop),
            Backend::Sqlite if n == self.full_len() => tx.execute_params(&self.full, &params).await.map(drop),
            Backend::Sqlite => tx.execute_params(&self.insert_sql(n / N), &params).await.map(drop),
        }?;
        drop(params);
        self.written(n);
        Ok(())
    }

    /// Lets go of the next `n` values held, and of the parts written in full.
    fn written(&mut self, n: usize) {
        self.len -= n;
        self.done += n;
        while self.held.front().is_some_and(|part| part.fields.len() <= self.done) {
            self.done -= self.held.pop_front().map_or(0, |part| part.fields.len());
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
        let sorted: Vec<(String, i64)> = words.sorted().map(|(t, m)| (t.to_string(), m)).collect();
        let expected = [("040175000010", 0), ("2024a", 1), ("7", 1), ("an", 0), ("nguyen", 0), ("nguyen", 1)];
        assert_eq!(sorted, expected.map(|(w, m)| (w.to_owned(), m)));
    }

    #[test]
    fn the_words_are_filed_in_parts_of_the_size_asked() {
        let mut words = Words::default();
        for (word, member) in [("nguyen", 1), ("040175000010", 0), ("an", 0), ("nguyen", 0), ("7", 1)] {
            words.add(word, member);
        }
        let (mut parts, sorter) = words.file(100, 4);
        let mut rows = Vec::new();
        while let Some(part) = parts.blocking_recv() {
            assert!(part.fields.len() <= 4);
            rows.extend(part.fields.iter().map(|f| match part.param(*f) {
                Param::Text(t) => t.to_owned(),
                Param::Int(i) => i.to_string(),
                other => panic!("{other:?}"),
            }));
        }
        sorter.join().unwrap();
        let expected = ["040175000010", "100", "7", "101", "an", "100", "nguyen", "100", "nguyen", "101"];
        assert_eq!(rows, expected);
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
        fn rows_are_bound_in_order_across_the_parts_they_came_in(
            parts in proptest::collection::vec(proptest::collection::vec("[a-zđ]{0,3}", 0..8), 0..8),
            writes in proptest::collection::vec(1usize..6, 0..20),
        ) {
            // Rows of two values: a text and its place in the whole, to find it again.
            let mut rows: Rows<2> = Rows::new("t (a, b)", Backend::Sqlite);
            let mut expected = Vec::new();
            for texts in &parts {
                let mut part = Part::default();
                for text in texts {
                    part.push_text(text);
                    part.push(Field::Int(expected.len() as i64));
                    expected.push(text.clone());
                }
                rows.add(part);
            }
            let mut next = 0;
            for rows_written in writes {
                let n = (rows_written * 2).min(rows.len);
                let params = rows.params(n);
                prop_assert_eq!(params.len(), n);
                for pair in params.chunks(2) {
                    prop_assert_eq!(pair, [Param::Text(&expected[next]), Param::Int(next as i64)]);
                    next += 1;
                }
                if n > 0 {
                    prop_assert_eq!(rows.at(n - 1), Field::Int(next as i64 - 1));
                }
                rows.written(n);
                prop_assert_eq!(rows.len, (expected.len() - next) * 2);
                prop_assert!(rows.held.front().is_none_or(|part| part.fields.len() > rows.done), "written parts are let go");
            }
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
            let sorted: Vec<(String, i64)> = words.sorted().map(|(t, m)| (t.to_string(), m)).collect();
            prop_assert_eq!(sorted, expected);
        }
    }
}
