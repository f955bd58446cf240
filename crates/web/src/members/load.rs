//! Loading a members file from the command line (`dangvu members import`): a province or
//! the whole country from one CSV, each row naming its cell by code. The file is read and
//! checked on one core while the other writes (`members::BulkLoad`); the columns, the
//! checks and the messages are those of the import in the browser
//! ([`crate::members::import`]). If any row is bad, nothing is written and every bad cell is
//! named by row and column, up to [`MAX_PROBLEMS`].

use std::collections::HashMap;
use std::fs::File;
use std::io::{BufRead, BufReader, Read};
use std::path::Path;

use chrono::NaiveDate;
use dangvu_domain::text::{fold, nfc, nfc_into};
use dangvu_domain::validation::{FieldError, Problems};
use dangvu_store::audit::Actor;
use dangvu_store::members::{self, BulkBatch, BulkLoad, BulkRows};
use dangvu_store::{Db, StoreError};

use crate::members::import::{EmptyLinesAsRows, MAX_PROBLEMS, RowChecker, delimiter_of, map_columns};

/// Members sent from the reader to the writer at a time.
const BATCH: usize = 10_000;

/// Headings of the column that names each row's cell by its code.
const CELL_HEADINGS: [&str; 4] = ["cell", "cell_code", "ma chi bo", "ma to chuc"];

/// What a load did.
#[derive(Debug)]
pub struct Loaded {
    pub members: usize,
}

/// Loads the members of the CSV file at `path` in one transaction. Each row joins the cell
/// whose code is in its `cell` column, or the cell `cell` for every row.
pub async fn load_file(db: &Db, path: &Path, cell: Option<&str>, today: NaiveDate) -> Result<Loaded, StoreError> {
    let expected = count_lines(path).map_err(|e| unreadable(&e))?.saturating_sub(1);
    let mut tx = db.begin_bulk().await?;
    let cells = members::cells_by_code(&mut tx, today).await?;
    let fixed = match cell {
        None => None,
        Some(code) => Some(
            *cells
                .get(code)
                .ok_or_else(|| StoreError::invalid("cell", format!("Không có chi bộ mã \"{code}\" đang hoạt động")))?,
        ),
    };
    let mut load = BulkLoad::start(&mut tx, expected).await?;
    let (sender, mut receiver) = tokio::sync::mpsc::channel::<BulkBatch>(4);
    let file = path.to_owned();
    let rows = load.rows();
    let reader = std::thread::spawn(move || read_members(&file, fixed, &cells, today, rows, &sender));
    let started = std::time::Instant::now();
    let mut written = Ok(());
    while let Some(batch) = receiver.recv().await {
        written = load.add(&mut tx, batch).await;
        if written.is_err() {
            break;
        }
    }
    // Dropping the receiver stops a reader still sending after a failed write.
    drop(receiver);
    let read = tokio::task::spawn_blocking(move || reader.join())
        .await
        .map_err(|e| StoreError::Decode(format!("the reader of the file: {e}")))?
        .map_err(|_| StoreError::Decode("the reader of the file stopped".into()))?;
    let rows = read.map_err(StoreError::Invalid)?;
    written?;
    tracing::info!(members = load.loaded(), secs = started.elapsed().as_secs_f64(), "bulk load: rows read and written");
    let members = load.finish(&mut tx, rows, &Actor::command_line(), today).await?;
    tx.commit().await?;
    tracing::info!(members, secs = started.elapsed().as_secs_f64(), "bulk load: committed");
    Ok(Loaded { members })
}

fn unreadable(e: &std::io::Error) -> StoreError {
    StoreError::invalid("file", format!("Không đọc được tệp: {e}"))
}

/// Lines in the file: the size of the load, known before it starts.
fn count_lines(path: &Path) -> std::io::Result<usize> {
    let mut file = File::open(path)?;
    let mut buf = vec![0; 1 << 20];
    let mut lines = 0;
    loop {
        let n = file.read(&mut buf)?;
        if n == 0 {
            return Ok(lines);
        }
        lines += buf[..n].iter().filter(|b| **b == b'\n').count();
    }
}

/// Reads and checks the file, sending the rows of its members to the writer while no row
/// is bad. Answers every problem found, or what made the rows.
fn read_members(
    path: &Path,
    fixed: Option<i64>,
    cells: &HashMap<String, i64>,
    today: NaiveDate,
    mut rows: BulkRows,
    sender: &tokio::sync::mpsc::Sender<BulkBatch>,
) -> Result<BulkRows, Vec<FieldError>> {
    let fail = |e: std::io::Error| {
        vec![FieldError { field: "file".into(), message: format!("Không đọc được tệp: {e}") }]
    };
    let mut input = BufReader::with_capacity(1 << 20, File::open(path).map_err(fail)?);
    if input.fill_buf().map_err(fail)?.starts_with(b"\xEF\xBB\xBF") {
        input.consume(3);
    }
    let head = input.fill_buf().map_err(fail)?;
    let first = head.split(|b| *b == b'\n').next().unwrap_or_default();
    let delimiter = delimiter_of(&String::from_utf8_lossy(first));
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(EmptyLinesAsRows::new(input, delimiter));
    let mut record = csv::StringRecord::new();
    let mut problems = Problems::new();
    match reader.read_record(&mut record) {
        Ok(true) => {}
        Ok(false) => problems.add("file", "Tệp rỗng"),
        Err(e) => problems.add("row 1", format!("Dòng không đọc được: {e}")),
    }
    let mut header: Vec<String> = record.iter().map(|c| nfc(c.trim())).collect();
    // The cell's column is not a field of the record: it is taken out before the mapping.
    let cell_column = header.iter().position(|h| CELL_HEADINGS.contains(&fold(h).as_str()));
    if let Some(i) = cell_column {
        header[i].clear();
    } else if fixed.is_none() && problems.is_empty() {
        problems.add("row 1", "Thiếu cột cell (mã chi bộ của mỗi dòng), hoặc chọn một chi bộ cho cả tệp");
    }
    if !problems.is_empty() {
        return problems.finish().map(|()| rows);
    }
    let mapping = map_columns(&header, None)?;
    let checker = RowChecker::new(&mapping, today);
    let mut batch = Vec::with_capacity(BATCH);
    let mut row: Vec<String> = Vec::new();
    let mut n = 1;
    let mut members = 0;
    loop {
        n += 1;
        match reader.read_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {}
            Err(e) => {
                problems.add(format!("row {n}"), format!("Dòng không đọc được: {e}"));
                continue;
            }
        }
        // Each column's String is kept from row to row: five million rows would otherwise
        // allocate and free one for every cell.
        row.resize_with(record.len(), String::new);
        for (cell, raw) in row.iter_mut().zip(record.iter()) {
            nfc_into(raw.trim(), cell);
        }
        if row.iter().all(String::is_empty) {
            continue;
        }
        let cell = match (fixed, cell_column) {
            (Some(id), _) => Some(id),
            (None, Some(i)) => cell_of(row.get(i).map_or("", String::as_str), cells, n, &mut problems),
            (None, None) => None,
        };
        let member = checker.check(n, &row, &mut problems);
        if let (Some(cell), Some(member)) = (cell, member) {
            members += 1;
            // Once a row is bad nothing will be written: the rest is only checked.
            if problems.is_empty() {
                batch.push((cell, member));
                if batch.len() == BATCH && sender.blocking_send(rows.prepare(std::mem::take(&mut batch))).is_err() {
                    // The writer failed; it reports why.
                    return Ok(rows);
                }
            }
        }
        if problems.len() > MAX_PROBLEMS {
            problems.add("file", "Quá nhiều lỗi; đã dừng kiểm tra ở dòng này");
            break;
        }
    }
    if members == 0 && problems.is_empty() {
        problems.add("file", "Tệp không có dòng dữ liệu nào");
    }
    if problems.is_empty() && !batch.is_empty() {
        let _ = sender.blocking_send(rows.prepare(batch));
    }
    problems.finish()?;
    Ok(rows)
}

/// The cell a row names by its code.
fn cell_of(code: &str, cells: &HashMap<String, i64>, n: usize, problems: &mut Problems) -> Option<i64> {
    if code.is_empty() {
        problems.add(format!("row {n}: cell"), "Thiếu mã chi bộ");
        return None;
    }
    let found = cells.get(code).copied();
    if found.is_none() {
        problems.add(format!("row {n}: cell"), format!("Không có chi bộ mã \"{code}\" đang hoạt động"));
    }
    found
}
