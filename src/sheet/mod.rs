//! Spreadsheets (Excel .xlsx and CSV): an office's existing 台账 brought in, and tables handed
//! out. Plain Rust, tested natively.
//!
//! - `read`: bytes → sheets of cells (calamine for .xlsx; CSV as UTF-8 with or without BOM, or
//!   GBK as Excel saves it on Chinese Windows), and what kind of file the bytes are.
//! - `ledger`: a sheet → reform items: the header row found under title rows, columns mapped to
//!   fields from their names, rows read with the quirks real sheets have, and a preview plan of
//!   what importing it would create, update and refuse (row by row, in the user's language).
//! - `tables` and `write`: the registry, dispatch, ranking, year and notices as tables, written as
//!   .xlsx (bold frozen header, column widths, dates as dates) or CSV with a UTF-8 BOM.
//!
//! The readers and writers are heavy; the app runs them in a Web Worker (src/bin/sheet_worker.rs)
//! so they stay out of the first visit.

pub mod ledger;
pub mod read;
pub mod samples;
pub mod tables;
pub mod worker;
pub mod write;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// One cell as a sheet holds it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "t", content = "v", rename_all = "snake_case")]
pub enum Cell {
    Empty,
    Text(String),
    Number(f64),
    Date(NaiveDate),
}

impl Cell {
    pub fn is_empty(&self) -> bool {
        match self {
            Cell::Empty => true,
            Cell::Text(s) => s.trim().is_empty(),
            _ => false,
        }
    }

    /// The cell as text, the way a person reads it (whole numbers without ".0").
    pub fn text(&self) -> String {
        match self {
            Cell::Empty => String::new(),
            Cell::Text(s) => s.trim().to_string(),
            Cell::Number(n) if n.fract() == 0.0 && n.abs() < 1e15 => format!("{}", *n as i64),
            Cell::Number(n) => n.to_string(),
            Cell::Date(d) => d.format("%Y-%m-%d").to_string(),
        }
    }
}

/// One worksheet: its name and its rows (ragged rows allowed).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Sheet {
    pub name: String,
    pub rows: Vec<Vec<Cell>>,
}

impl Sheet {
    pub fn cell(&self, row: usize, col: usize) -> &Cell {
        self.rows.get(row).and_then(|r| r.get(col)).unwrap_or(&Cell::Empty)
    }
    pub fn width(&self) -> usize {
        self.rows.iter().map(Vec::len).max().unwrap_or(0)
    }
}

/// A table to hand out: a sheet name, a title line above the header, the header, column widths
/// (in characters) and the rows.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Table {
    pub sheet: String,
    pub title: String,
    pub headers: Vec<String>,
    pub widths: Vec<f64>,
    pub rows: Vec<Vec<Cell>>,
}

/// A workbook to hand out: one or more tables, each on its own sheet.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Book {
    pub tables: Vec<Table>,
}

/// The name an exported table is saved under: office, what, date (平原县委改革办_改革事项台账_2026-11-25.xlsx).
pub fn file_name(office: &str, what: &str, on: NaiveDate, csv: bool) -> String {
    format!(
        "{}_{}_{}.{}",
        crate::app::exchange::file_safe(office),
        crate::app::exchange::file_safe(what),
        on.format("%Y-%m-%d"),
        if csv { "csv" } else { "xlsx" }
    )
}
