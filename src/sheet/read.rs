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
        rows.push(rec.iter().map(|s| if s.trim().is_empty() { Cell::Empty } else { Cell::Text(s.to_string()) }).collect());
    }
    if rows.is_empty() {
        return Err(ReadError::Empty);
    }
    let sheet = name.rsplit_once('.').map(|(n, _)| n).unwrap_or(name).to_string();
    Ok(vec![Sheet { name: sheet, rows }])
}

pub fn read_xlsx(bytes: &[u8]) -> Result<Vec<Sheet>, ReadError> {
    use calamine::{Data, Reader, Xlsx};
    let mut wb: Xlsx<_> = Xlsx::new(Cursor::new(bytes)).map_err(|e| ReadError::Workbook(e.to_string()))?;
    // Keep row positions as the sheet shows them (title rows included), so row numbers in
    // messages are the ones a person sees in Excel.
    wb.with_header_row(calamine::HeaderRow::Row(0));
    let mut out = vec![];
    for name in wb.sheet_names() {
        let range = wb.worksheet_range(&name).map_err(|e| ReadError::Workbook(e.to_string()))?;
        let (r0, c0) = range.start().map(|(r, c)| (r as usize, c as usize)).unwrap_or((0, 0));
        let mut rows: Vec<Vec<Cell>> = vec![vec![]; r0];
        for row in range.rows() {
            let mut cells = vec![Cell::Empty; c0];
            cells.extend(row.iter().map(|c| match c {
                Data::Empty => Cell::Empty,
                Data::String(s) | Data::DateTimeIso(s) | Data::DurationIso(s) => Cell::Text(s.clone()),
                Data::Float(f) => Cell::Number(*f),
                Data::Int(i) => Cell::Number(*i as f64),
                Data::Bool(b) => Cell::Text(if *b { "是" } else { "否" }.into()),
                Data::DateTime(dt) => {
                    let (y, m, d, ..) = dt.to_ymd_hms_milli();
                    NaiveDate::from_ymd_opt(y as i32, m as u32, d as u32).map(Cell::Date).unwrap_or(Cell::Number(dt.as_f64()))
                }
                Data::Error(_) => Cell::Empty,
            }));
            rows.push(cells);
        }
        out.push(Sheet { name, rows });
    }
    if out.iter().all(|s| s.rows.is_empty()) {
        return Err(ReadError::Empty);
    }
    Ok(out)
}
