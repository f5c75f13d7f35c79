//! Bytes → sheets, and what kind of file the bytes are.

use super::{Cell, Sheet};
use chrono::NaiveDate;
use std::io::Cursor;

/// What a file picked for import is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FileKind {
    /// An exchange file (JSON with `format` reform-registry bundle).
    Bundle,
    /// A backup (JSON with the backup's `kind`).
    Backup,
    /// A key roster.
    Roster,
    Xlsx,
    /// An old binary .xls (Excel 97–2003): asked to be saved as .xlsx.
    Xls,
    Csv,
    Unknown,
}

/// Looks at the first bytes (and, for JSON, the first keys) to tell the kinds apart.
pub fn kind_of(bytes: &[u8], name: &str) -> FileKind {
    let lower = name.to_lowercase();
    if bytes.starts_with(b"PK\x03\x04") {
        return FileKind::Xlsx;
    }
    if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]) {
        return FileKind::Xls;
    }
    let head = String::from_utf8_lossy(&bytes[..bytes.len().min(4096)]);
    let trimmed = head.trim_start_matches('\u{feff}').trim_start();
    if trimmed.starts_with('{') {
        // The format name comes first in every file this app writes.
        if trimmed.contains(crate::app::backup::FORMAT) {
            return FileKind::Backup;
        }
        if trimmed.contains(crate::sync::bundle::FORMAT) {
            return FileKind::Bundle;
        }
        if trimmed.contains("reform-registry-roster") {
            return FileKind::Roster;
        }
        // Any other JSON goes to the exchange reader, which says what is wrong with it.
        return FileKind::Bundle;
    }
    if lower.ends_with(".csv") || lower.ends_with(".txt") || (!bytes.is_empty() && !bytes[..bytes.len().min(512)].contains(&0)) {
        return FileKind::Csv;
    }
    FileKind::Unknown
}

/// Why a spreadsheet could not be read.
#[derive(Clone, Debug, PartialEq)]
pub enum ReadError {
    /// Not a readable workbook (damaged, encrypted, or not Excel at all); the reader's words.
    Workbook(String),
    /// A CSV line the reader could not take (1-based line number).
    Csv(usize),
    Empty,
    /// More rows or columns than a 台账 has (MAX_ROWS × MAX_COLS), or a file over MAX_FILE_BYTES.
    TooLarge,
}

/// Text of a CSV file: UTF-8 (with or without BOM), else GB18030 (the superset of GBK that Excel
/// on Chinese Windows saves).
pub fn decode(bytes: &[u8]) -> String {
    if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        return String::from_utf8_lossy(rest).into_owned();
    }
    match std::str::from_utf8(bytes) {
        Ok(s) => s.to_owned(),
        Err(_) => encoding_rs::GB18030.decode_without_bom_handling(bytes).0.into_owned(),
    }
}

pub fn read_csv(bytes: &[u8], name: &str) -> Result<Vec<Sheet>, ReadError> {
    let text = decode(bytes);
    let mut rdr = csv::ReaderBuilder::new().has_headers(false).flexible(true).from_reader(text.as_bytes());
    let mut rows = vec![];
    for (n, rec) in rdr.records().enumerate() {
        let rec = rec.map_err(|_| ReadError::Csv(n + 1))?;
        if n >= MAX_ROWS || rec.len() > MAX_COLS {
            return Err(ReadError::TooLarge);
        }
        rows.push(rec.iter().map(|s| if s.trim().is_empty() { Cell::Empty } else { Cell::Text(s.to_string()) }).collect());
    }
    if rows.is_empty() {
        return Err(ReadError::Empty);
    }
    let sheet = name.rsplit_once('.').map(|(n, _)| n).unwrap_or(name).to_string();
    Ok(vec![Sheet { name: sheet, rows }])
}

/// Limits on what a spreadsheet may hold: a 台账 of a city (淄博: 1,378 tasks a year) fits well
/// within them; a file beyond them is refused whole instead of exhausting memory.
pub const MAX_ROWS: usize = 20_000;
pub const MAX_COLS: usize = 200;
/// Bytes of a spreadsheet file picked for import.
pub const MAX_FILE_BYTES: usize = 20 * 1024 * 1024;

pub fn read_xlsx(bytes: &[u8]) -> Result<Vec<Sheet>, ReadError> {
    use calamine::{DataRef, Reader, Xlsx};
    let wb_err = |e: calamine::XlsxError| ReadError::Workbook(e.to_string());
    let mut wb: Xlsx<_> = Xlsx::new(Cursor::new(bytes)).map_err(wb_err)?;
    let mut out = vec![];
    for name in wb.sheet_names() {
        // Cell by cell, so a sheet claiming a huge extent (two cells far apart) costs nothing
        // until a cell beyond the limits is met, and then the file is refused.
        let mut rows: Vec<Vec<Cell>> = vec![];
        {
            let mut reader = wb.worksheet_cells_reader(&name).map_err(wb_err)?;
            while let Some(cell) = reader.next_cell().map_err(wb_err)? {
                let (r, c) = cell.get_position();
                let (r, c) = (r as usize, c as usize);
                let value = match cell.get_value() {
                    DataRef::Empty | DataRef::Error(_) => continue,
                    DataRef::String(s) | DataRef::DateTimeIso(s) | DataRef::DurationIso(s) => Cell::Text(s.clone()),
                    DataRef::SharedString(s) => Cell::Text(s.to_string()),
                    DataRef::Float(f) => Cell::Number(*f),
                    DataRef::Int(i) => Cell::Number(*i as f64),
                    DataRef::Bool(b) => Cell::Text(if *b { "是" } else { "否" }.into()),
                    DataRef::DateTime(dt) => {
                        let (y, m, d, ..) = dt.to_ymd_hms_milli();
                        NaiveDate::from_ymd_opt(y as i32, m as u32, d as u32).map(Cell::Date).unwrap_or(Cell::Number(dt.as_f64()))
                    }
                };
                if r >= MAX_ROWS || c >= MAX_COLS {
                    return Err(ReadError::TooLarge);
                }
                if rows.len() <= r {
                    rows.resize(r + 1, vec![]);
                }
                if rows[r].len() <= c {
                    rows[r].resize(c + 1, Cell::Empty);
                }
                rows[r][c] = value;
            }
        }
        // A merged cell holds its value in its first cell only: 牵头单位 or 专项小组 merged down
        // several rows belongs to each of them.
        if let Ok(merges) = wb.merge_cells_by_sheet_name(&name) {
            for m in merges {
                let (r0, c0) = (m.start.0 as usize, m.start.1 as usize);
                let v = rows.get(r0).and_then(|r| r.get(c0)).cloned().unwrap_or(Cell::Empty);
                if v.is_empty() || m.end.0 as usize >= MAX_ROWS || m.end.1 as usize >= MAX_COLS {
                    continue;
                }
                for r in r0..=m.end.0 as usize {
                    for c in c0..=m.end.1 as usize {
                        if (r, c) == (r0, c0) {
                            continue;
                        }
                        if rows.len() <= r {
                            rows.resize(r + 1, vec![]);
                        }
                        if rows[r].len() <= c {
                            rows[r].resize(c + 1, Cell::Empty);
                        }
                        rows[r][c] = v.clone();
                    }
                }
            }
        }
        out.push(Sheet { name, rows });
    }
    if out.iter().all(|s| s.rows.is_empty()) {
        return Err(ReadError::Empty);
    }
    Ok(out)
}
