//! What the spreadsheet worker does with a message, as plain Rust (the worker binary only moves
//! messages; this is tested natively). A request is JSON plus bytes; so is the answer.

use super::read::{self, FileKind, ReadError};
use super::{write, Book, Sheet};
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "snake_case")]
pub enum Request {
    /// The bytes are a file picked for import: read its sheets.
    Read { name: String },
    /// Write the book as .xlsx or CSV (the answer's bytes are the file).
    Write { csv: bool, book: Book },
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum Response {
    Sheets {
        sheets: Vec<Sheet>,
    },
    Written,
    /// The file is an old binary .xls.
    OldExcel,
    /// Not a spreadsheet this reader understands (or damaged): the reader's words, for the record.
    Unreadable {
        detail: String,
    },
    /// A CSV line could not be read.
    BadCsvLine {
        line: usize,
    },
    Empty,
    /// More rows, columns or bytes than a 台账 has.
    TooLarge,
    /// A request the worker does not understand (a version mismatch).
    BadRequest,
}

pub fn handle(request: &str, bytes: &[u8]) -> (Response, Vec<u8>) {
    let Ok(req) = serde_json::from_str::<Request>(request) else { return (Response::BadRequest, vec![]) };
    match req {
        Request::Read { name } => {
            if bytes.len() > read::MAX_FILE_BYTES {
                return (Response::TooLarge, vec![]);
            }
            let sheets = match read::kind_of(bytes, &name) {
                FileKind::Xlsx => read::read_xlsx(bytes),
                FileKind::Xls => return (Response::OldExcel, vec![]),
                _ => read::read_csv(bytes, &name),
            };
            match sheets {
                Ok(sheets) => (Response::Sheets { sheets }, vec![]),
                Err(ReadError::Workbook(detail)) => (Response::Unreadable { detail }, vec![]),
                Err(ReadError::Csv(line)) => (Response::BadCsvLine { line }, vec![]),
                Err(ReadError::Empty) => (Response::Empty, vec![]),
                Err(ReadError::TooLarge) => (Response::TooLarge, vec![]),
            }
        }
        Request::Write { csv, book } => {
            if csv {
                return (Response::Written, write::csv(&book));
            }
            match write::xlsx(&book) {
                Ok(b) => (Response::Written, b),
                Err(e) => (Response::Unreadable { detail: e.to_string() }, vec![]),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn requests_and_answers() {
        let book = Book {
            tables: vec![super::super::Table {
                sheet: "表".into(), title: "标题".into(), headers: vec!["事项名称".into()], widths: vec![20.0], rows: vec![]
            }],
        };
        let (r, bytes) = handle(&serde_json::to_string(&Request::Write { csv: false, book }).unwrap(), &[]);
        assert_eq!(r, Response::Written);
        let (r, _) = handle(&serde_json::to_string(&Request::Read { name: "表.xlsx".into() }).unwrap(), &bytes);
        let Response::Sheets { sheets } = r else { panic!("{r:?}") };
        assert_eq!(sheets[0].cell(1, 0).text(), "事项名称");
        assert_eq!(handle("{\"op\":\"read\",\"name\":\"x.xls\"}", &[0xD0, 0xCF, 0x11, 0xE0, 0, 0]).0, Response::OldExcel);
        assert!(matches!(handle("{\"op\":\"read\",\"name\":\"x.xlsx\"}", b"PK\x03\x04garbage").0, Response::Unreadable { .. }));
        assert_eq!(handle("{\"op\":\"read\",\"name\":\"x.csv\"}", b"").0, Response::Empty);
        assert_eq!(handle("{\"op\":\"dance\"}", b"").0, Response::BadRequest);
    }
}
