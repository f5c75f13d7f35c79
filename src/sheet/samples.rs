//! A realistic 台账 (平原-style) in the shapes offices send it: sheets of cells, an .xlsx written
//! cell by cell (merged title, date cells, a 填表说明 sheet first), and CSV as Excel saves it (GBK on
//! Chinese Windows, or UTF-8 with a BOM). Used by the tests and the e2e fixtures.

use super::{Cell, Sheet};
use chrono::{Datelike, NaiveDate};

fn txt(s: &str) -> Cell {
    if s.is_empty() {
        Cell::Empty
    } else {
        Cell::Text(s.into())
    }
}

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).expect("date")
}

/// 平原's 台账 as offices keep it: a merged title row, a note row, the header with 序号, a section
/// heading, dates as Excel cells and as text, full-width digits, units joined by 、, a blank row
/// and a 合计 row; a 填表说明 sheet before it.
pub fn pingyuan() -> Vec<Sheet> {
    let row = |cells: &[Cell]| cells.to_vec();
    let t = |v: &[&str]| v.iter().map(|s| txt(s)).collect::<Vec<_>>();
    vec![
        Sheet { name: "填表说明".into(), rows: vec![t(&["1. 完成时限请写到月"]), t(&["2. 牵头单位只填一个"])] },
        Sheet {
            name: "2026年改革台账".into(),
            rows: vec![
                t(&["平原县2026年全面深化改革重点任务台账", "", "", "", "", "", ""]),
                t(&["填报单位：县委改革办", "", "", "", "", "", "截至：2026年3月"]),
                t(&["序号", "改革事项名称", "改革类型", "牵头单位", "配合单位", "责任领导", "完成时限", "专项小组", "备注"]),
                t(&["一、经济体制改革（2项）"]),
                row(&[
                    Cell::Number(1.0),
                    txt("县管校聘"),
                    txt("特色项目"),
                    txt("县教育局"),
                    txt("县人社局、县财政局"),
                    txt("王某（副县长）"),
                    Cell::Date(d(2026, 6, 30)),
                    txt("社会事业组"),
                    Cell::Empty,
                ]),
                t(&["２", "1分钱公交", "微改革", "县交通局、县财政局", "", "李某", "２０２６年６月底", "", "首批"]),
                t(&["", "", "", "", "", "", "", "", ""]),
                t(&["二、社会事业改革（1项）"]),
                row(&[
                    Cell::Number(3.0),
                    txt("网络理政"),
                    txt(""),
                    txt("县政务服务中心"),
                    txt(""),
                    txt(""),
                    Cell::Number(46203.0),
                    txt("社会事业组"),
                    Cell::Empty,
                ]),
                t(&["4", "城市精细化管理", "小切口", "县城市管理局", "", "", "长期坚持", "", ""]),
                t(&["合计", "4项", "", "", "", "", "", "", ""]),
            ],
        },
    ]
}

/// The sheets as an .xlsx, written cell by cell as an office's file would be.
pub fn ledger_xlsx(sheets: &[Sheet]) -> Vec<u8> {
    use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};
    let mut wb = Workbook::new();
    let date_fmt = Format::new().set_num_format("yyyy\"年\"m\"月\"d\"日\"");
    for s in sheets {
        let ws = wb.add_worksheet();
        ws.set_name(&s.name).expect("name");
        let merge_title = s.width() > 3;
        for (r, row) in s.rows.iter().enumerate() {
            for (c, cell) in row.iter().enumerate() {
                let (r, c) = (r as u32, c as u16);
                let _ = match cell {
                    Cell::Empty => continue,
                    Cell::Text(t) if r == 0 && c == 0 && merge_title => ws.merge_range(0, 0, 0, 8, t, &Format::new().set_bold()),
                    Cell::Text(t) => ws.write_string(r, c, t),
                    Cell::Number(n) if *n > 40000.0 => ws.write_number_with_format(r, c, *n, &date_fmt),
                    Cell::Number(n) => ws.write_number(r, c, *n),
                    Cell::Date(d) => {
                        ws.write_datetime_with_format(r, c, ExcelDateTime::from_ymd(d.year() as u16, d.month() as u8, d.day() as u8).expect("date"), &date_fmt)
                    }
                };
            }
        }
    }
    wb.save_to_buffer().expect("xlsx")
}

/// One sheet as CSV, dates as Excel shows them (2026/6/30): GBK, or UTF-8 with a BOM.
pub fn ledger_csv(sheet: &Sheet, gbk: bool) -> Vec<u8> {
    let text: String = sheet
        .rows
        .iter()
        .map(|row| {
            row.iter()
                .map(|c| match c {
                    Cell::Date(d) => format!("{}/{}/{}", d.year(), d.month(), d.day()),
                    Cell::Number(n) if *n > 40000.0 => {
                        super::ledger::excel_date(*n).map(|d| format!("{}/{}/{}", d.year(), d.month(), d.day())).unwrap_or_default()
                    }
                    c => c.text(),
                })
                .collect::<Vec<_>>()
                .join(",")
        })
        .collect::<Vec<_>>()
        .join("\r\n");
    if gbk {
        encoding_rs::GBK.encode(&text).0.into_owned()
    } else {
        [b"\xEF\xBB\xBF".as_slice(), text.as_bytes()].concat()
    }
}
