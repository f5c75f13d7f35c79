//! Tables → .xlsx (rust_xlsxwriter: a title row, a bold frozen header, column widths, dates as
//! dates) and → CSV with a UTF-8 BOM (so Excel and WPS open Chinese text correctly).

use super::{Book, Cell};
use chrono::Datelike;
use rust_xlsxwriter::{ExcelDateTime, Format, FormatAlign, FormatBorder, Workbook, XlsxError};

/// Sheet names: at most 31 characters, none of []:*?/\ (Excel's rules), unique in the book.
fn sheet_name(name: &str, taken: &mut Vec<String>) -> String {
    let mut base: String = name.chars().filter(|c| !"[]:*?/\\".contains(*c)).take(28).collect();
    if base.trim().is_empty() {
        base = "Sheet".into();
    }
    let mut n = 1;
    let mut candidate = base.clone();
    while taken.iter().any(|t| t.eq_ignore_ascii_case(&candidate)) {
        n += 1;
        candidate = format!("{base}{n}");
    }
    taken.push(candidate.clone());
    candidate
}

pub fn xlsx(book: &Book) -> Result<Vec<u8>, XlsxError> {
    let mut wb = Workbook::new();
    let title = Format::new().set_bold().set_font_size(14).set_align(FormatAlign::Center).set_align(FormatAlign::VerticalCenter);
    let header = Format::new().set_bold().set_background_color("#E8E4DC").set_border(FormatBorder::Thin).set_text_wrap().set_align(FormatAlign::VerticalCenter);
    let body = Format::new().set_border(FormatBorder::Thin).set_text_wrap().set_align(FormatAlign::Top);
    let date = Format::new().set_border(FormatBorder::Thin).set_num_format("yyyy-mm-dd").set_align(FormatAlign::Top);
    let number = Format::new().set_border(FormatBorder::Thin).set_num_format("0.##").set_align(FormatAlign::Top);
    let mut taken = vec![];
    for t in &book.tables {
        let ws = wb.add_worksheet();
        ws.set_name(sheet_name(&t.sheet, &mut taken))?;
        let cols = t.headers.len().max(1) as u16;
        if cols > 1 {
            ws.merge_range(0, 0, 0, cols - 1, &t.title, &title)?;
        } else {
            ws.write_string_with_format(0, 0, &t.title, &title)?;
        }
        ws.set_row_height(0, 28)?;
        for (c, h) in t.headers.iter().enumerate() {
            ws.write_string_with_format(1, c as u16, h, &header)?;
        }
        for (c, w) in t.widths.iter().enumerate() {
            ws.set_column_width(c as u16, *w)?;
        }
        // The title and header stay in view while scrolling.
        ws.set_freeze_panes(2, 0)?;
        for (r, row) in t.rows.iter().enumerate() {
            let r = r as u32 + 2;
            for (c, cell) in row.iter().enumerate() {
                let c = c as u16;
                match cell {
                    Cell::Empty => ws.write_blank(r, c, &body)?,
                    Cell::Text(s) => ws.write_string_with_format(r, c, s, &body)?,
                    Cell::Number(n) => ws.write_number_with_format(r, c, *n, &number)?,
                    Cell::Date(d) => ws.write_datetime_with_format(r, c, ExcelDateTime::from_ymd(d.year() as u16, d.month() as u8, d.day() as u8)?, &date)?,
                };
            }
        }
        if !t.rows.is_empty() {
            ws.autofilter(1, 0, t.rows.len() as u32 + 1, cols - 1)?;
        }
    }
    if book.tables.is_empty() {
        wb.add_worksheet();
    }
    wb.save_to_buffer()
}

/// CSV of the book's first table: the header and the rows (no title line, so it sorts and
/// filters as a plain table), dates as YYYY-MM-DD, UTF-8 with a BOM.
pub fn csv(book: &Book) -> Vec<u8> {
    let mut w = ::csv::Writer::from_writer(b"\xEF\xBB\xBF".to_vec());
    if let Some(t) = book.tables.first() {
        let _ = w.write_record(&t.headers);
        for row in &t.rows {
            let _ = w.write_record(row.iter().map(Cell::text));
        }
    }
    w.into_inner().unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::super::{read, Table};
    use super::*;
    use chrono::NaiveDate;

    fn book() -> Book {
        Book {
            tables: vec![
                Table {
                    sheet: "改革事项台账".into(),
                    title: "平原县委改革办 改革事项台账".into(),
                    headers: vec!["序号".into(), "事项名称".into(), "完成时限".into(), "得分".into()],
                    widths: vec![6.0, 30.0, 12.0, 8.0],
                    rows: vec![
                        vec![
                            Cell::Number(1.0),
                            Cell::Text("县管校聘，“一校一策”".into()),
                            Cell::Date(NaiveDate::from_ymd_opt(2026, 6, 30).unwrap()),
                            Cell::Number(82.58),
                        ],
                        vec![Cell::Number(2.0), Cell::Text("1分钱公交".into()), Cell::Empty, Cell::Number(94.0)],
                    ],
                },
                Table { sheet: "未报:清单".into(), title: "未报".into(), headers: vec!["单位".into()], widths: vec![20.0], rows: vec![] },
            ],
        }
    }

    /// Written with the writer, read back with the reader: the same text, numbers and dates.
    #[test]
    fn xlsx_round_trip() {
        let b = book();
        let bytes = xlsx(&b).unwrap();
        assert_eq!(read::kind_of(&bytes, "x.xlsx"), read::FileKind::Xlsx);
        let sheets = read::read_xlsx(&bytes).unwrap();
        assert_eq!(sheets.iter().map(|s| s.name.as_str()).collect::<Vec<_>>(), vec!["改革事项台账", "未报清单"]);
        let s = &sheets[0];
        assert_eq!(s.cell(0, 0), &Cell::Text("平原县委改革办 改革事项台账".into()));
        assert_eq!((1..4).map(|c| s.cell(1, c).text()).collect::<Vec<_>>(), vec!["事项名称", "完成时限", "得分"]);
        for (r, row) in b.tables[0].rows.iter().enumerate() {
            for (c, cell) in row.iter().enumerate() {
                assert_eq!(s.cell(r + 2, c), cell, "row {r} column {c}");
            }
        }
    }

    #[test]
    fn csv_round_trip_with_bom() {
        let bytes = csv(&book());
        assert!(bytes.starts_with(b"\xEF\xBB\xBF"));
        let sheets = read::read_csv(&bytes, "台账.csv").unwrap();
        let s = &sheets[0];
        assert_eq!(s.cell(0, 1).text(), "事项名称");
        assert_eq!(s.cell(1, 1).text(), "县管校聘，“一校一策”");
        assert_eq!(s.cell(1, 2).text(), "2026-06-30");
        assert_eq!(s.cell(1, 3).text(), "82.58");
        assert_eq!(s.cell(2, 2), &Cell::Empty);
    }

    #[test]
    fn gbk_csv_as_excel_saves_it_on_chinese_windows() {
        let text = "序号,改革事项名称,牵头单位\r\n1,县管校聘,县教育局\r\n";
        let (gbk, _, bad) = encoding_rs::GBK.encode(text);
        assert!(!bad);
        assert!(std::str::from_utf8(&gbk).is_err(), "really not UTF-8");
        let s = &read::read_csv(&gbk, "台账.csv").unwrap()[0];
        assert_eq!((s.cell(1, 1).text(), s.cell(1, 2).text()), ("县管校聘".into(), "县教育局".into()));
        assert_eq!(read::kind_of(&gbk, "台账.csv"), read::FileKind::Csv);
    }
}
