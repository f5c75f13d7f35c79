//! Spreadsheet fixtures and an independent reader for the browser tests.
//!
//! `sheet_tool fixtures DIR` writes the 平原-style 台账 as .xlsx, GBK CSV and UTF-8 CSV with BOM,
//! and a copy with bad rows; `sheet_tool read FILE` prints a workbook's sheets as JSON, read with
//! calamine (not the writer that made it), so the e2e test can check an exported file.

use reform_registry::sheet::{read, samples, Cell};
use std::path::Path;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    match args.get(1).map(String::as_str) {
        Some("fixtures") => {
            let dir = Path::new(args.get(2).expect("directory"));
            std::fs::create_dir_all(dir).expect("create directory");
            let sheets = samples::pingyuan();
            std::fs::write(dir.join("平原台账.xlsx"), samples::ledger_xlsx(&sheets)).expect("write");
            std::fs::write(dir.join("平原台账-gbk.csv"), samples::ledger_csv(&sheets[1], true)).expect("write");
            std::fs::write(dir.join("平原台账-bom.csv"), samples::ledger_csv(&sheets[1], false)).expect("write");
            // Bad rows: an unreadable date, a missing lead unit, an unknown kind.
            let mut bad = sheets.clone();
            bad[1].rows[5][6] = Cell::Text("尽快".into());
            bad[1].rows[8][3] = Cell::Empty;
            bad[1].rows[9][2] = Cell::Text("大改革".into());
            std::fs::write(dir.join("平原台账-有错误.xlsx"), samples::ledger_xlsx(&bad)).expect("write");
            // A sheet a month later: one deadline moved.
            let mut later = sheets;
            later[1].rows[5][6] = Cell::Text("2026年9月底".into());
            std::fs::write(dir.join("平原台账-9月.xlsx"), samples::ledger_xlsx(&later)).expect("write");
            println!("fixtures written to {}", dir.display());
        }
        Some("read") => {
            let bytes = std::fs::read(args.get(2).expect("file")).expect("read file");
            match read::read_xlsx(&bytes) {
                Ok(sheets) => println!("{}", serde_json::to_string(&sheets).expect("json")),
                Err(e) => {
                    eprintln!("unreadable: {e:?}");
                    std::process::exit(1);
                }
            }
        }
        _ => {
            eprintln!("usage: sheet_tool fixtures DIR | sheet_tool read FILE.xlsx");
            std::process::exit(2);
        }
    }
}
