use super::*;
use crate::domain::tx::act;
use crate::domain::Office;
use crate::i18n::{t, Lang};

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

fn txt(s: &str) -> Cell {
    if s.is_empty() {
        Cell::Empty
    } else {
        Cell::Text(s.into())
    }
}

use crate::sheet::samples::pingyuan;

fn office() -> Registry {
    let mut r = Registry::new("A");
    act(&mut r, 1, d(2026, 3, 1), "", |tx| ops::setup_office(tx, &Office { name: "平原县委改革办".into(), ..Default::default() })).unwrap();
    act(&mut r, 2, d(2026, 3, 1), "", |tx| ops::save_unit(tx, None, &Unit { name: "县教育局".into(), ..Default::default() })).unwrap();
    r
}

#[test]
fn headers_are_found_under_title_rows_and_mapped_by_name() {
    let sheets = pingyuan();
    let l = layout(&sheets, &BTreeMap::new()).unwrap();
    assert_eq!((l.sheet, l.header_row), (1, 2), "the 台账 sheet, not 填表说明; the header under the title and note rows");
    assert_eq!(
        l.mapping,
        vec![
            None,
            Some(Column::Title),
            Some(Column::Kind),
            Some(Column::LeadUnit),
            Some(Column::CoopUnits),
            Some(Column::LeadingOfficial),
            Some(Column::Deadline),
            Some(Column::Group),
            None
        ]
    );
    // The office's own corrections override the suggestion next time.
    let remembered = BTreeMap::from([("备注".to_string(), Some(Column::Batch)), ("专项小组".to_string(), None)]);
    let l = layout(&sheets, &remembered).unwrap();
    assert_eq!((l.mapping[7], l.mapping[8]), (None, Some(Column::Batch)));
    // Longest word wins: 牵头专项小组 is the group, 责任单位 the lead unit, 工作目标 the goal.
    assert_eq!(column_for("牵头专项小组"), Some(Column::Group));
    assert_eq!(column_for("责任单位"), Some(Column::LeadUnit));
    assert_eq!(column_for(" 工作\n目标 "), Some(Column::Goal));
    assert_eq!(column_for("序号"), None);
    // A sheet without a recognisable header gives none.
    assert!(layout(&[Sheet { name: "x".into(), rows: vec![vec![txt("a"), txt("b")]] }], &BTreeMap::new()).is_none());
}

#[test]
fn deadlines_as_offices_write_them() {
    let y = 2026;
    let p = |s: &str| parse_deadline(&txt(s), y);
    assert_eq!(p("2026年6月底"), Ok(Some(d(2026, 6, 30))));
    assert_eq!(p("２０２６年６月底"), Ok(Some(d(2026, 6, 30))));
    assert_eq!(p("2026.6"), Ok(Some(d(2026, 6, 30))));
    assert_eq!(p("2026-06-15"), Ok(Some(d(2026, 6, 15))));
    assert_eq!(p("2026/2/28"), Ok(Some(d(2026, 2, 28))));
    assert_eq!(p("2026年9月30日前"), Ok(Some(d(2026, 9, 30))));
    assert_eq!(p("2026年底"), Ok(Some(d(2026, 12, 31))));
    assert_eq!(p("2026年"), Ok(Some(d(2026, 12, 31))));
    assert_eq!(p("2026年上半年"), Ok(Some(d(2026, 6, 30))));
    assert_eq!(p("2026年三季度"), Ok(Some(d(2026, 9, 30))));
    assert_eq!(p("11月底"), Ok(Some(d(2026, 11, 30))));
    assert_eq!(p("年底前"), Ok(Some(d(2026, 12, 31))));
    assert_eq!(p("2026年6月底前出台方案，12月底前全面推开"), Ok(Some(d(2026, 12, 31))), "the last date is the deadline");
    assert_eq!(p("长期坚持"), Ok(None));
    assert_eq!(p("持续推进"), Ok(None));
    assert_eq!(p("尽快"), Err(BadDate));
    assert_eq!(p("2026年13月"), Err(BadDate));
    assert_eq!(parse_deadline(&Cell::Number(46203.0), y), Ok(Some(d(2026, 6, 30))), "an Excel date serial");
    assert_eq!(parse_deadline(&Cell::Number(2027.0), y), Ok(Some(d(2027, 12, 31))));
    assert_eq!(parse_deadline(&Cell::Date(d(2026, 5, 15)), y), Ok(Some(d(2026, 5, 15))));
    assert_eq!(parse_deadline(&Cell::Empty, y), Ok(None));
    // Ranges end at their last date; a dash inside 2026-06-30 is not a range.
    assert_eq!(p("2026.3-6"), Ok(Some(d(2026, 6, 30))));
    assert_eq!(p("2026.1-12"), Ok(Some(d(2026, 12, 31))));
    assert_eq!(p("2026.3-2026.6"), Ok(Some(d(2026, 6, 30))));
    assert_eq!(p("2026.6.30—12.31"), Ok(Some(d(2026, 12, 31))));
    assert_eq!(p("2026年3月至6月"), Ok(Some(d(2026, 6, 30))));
    assert_eq!(p("2026-06-30 18:00"), Ok(Some(d(2026, 6, 30))));
    assert_eq!(p("20260630"), Ok(Some(d(2026, 6, 30))));
    assert_eq!(p("2026年6月上旬"), Ok(Some(d(2026, 6, 10))));
    assert_eq!(p("2026年6月中旬"), Ok(Some(d(2026, 6, 20))));
    assert_eq!(p("2026.6.30前"), Ok(Some(d(2026, 6, 30))));
    // Ongoing work has no deadline even when it names the year it starts.
    assert_eq!(p("2026年起持续推进"), Ok(None));
    assert_eq!(p("长期坚持（2026年起）"), Ok(None));
    assert_eq!(p("持续推进，2026年底前完成"), Ok(Some(d(2026, 12, 31))));
    // What cannot be placed is refused, not guessed.
    assert_eq!(p("次年6月"), Err(BadDate));
    assert_eq!(p("3年内"), Err(BadDate));
    assert_eq!(p("26年底"), Err(BadDate));
    // Excel cells: a month typed as 2026年6月 is stored as its first day; 2026.6 as a number.
    assert_eq!(parse_deadline(&Cell::Date(d(2026, 6, 1)), y), Ok(Some(d(2026, 6, 30))));
    assert_eq!(parse_deadline(&Cell::Number(2026.6), y), Ok(Some(d(2026, 6, 30))));
    assert_eq!(parse_deadline(&Cell::Number(2026.12), y), Ok(Some(d(2026, 12, 31))));
    assert_eq!(parse_deadline(&Cell::Number(2026.1), y), Err(BadDate), "January or October");
    assert_eq!(parse_deadline(&Cell::Number(6.0), y), Err(BadDate));
    assert_eq!(parse_deadline(&Cell::Date(d(1905, 7, 18)), y), Err(BadDate));
}

#[test]
fn a_realistic_sheet_previews_then_applies_and_reimports_as_updates() {
    let mut reg = office();
    let sheets = pingyuan();
    let l = layout(&sheets, &BTreeMap::new()).unwrap();
    let p = plan(&reg, &sheets[l.sheet], &l, 2026);
    assert_eq!(p.errors(), Vec::<&RowError>::new());
    assert_eq!(p.rows.iter().map(|r| r.title.as_str()).collect::<Vec<_>>(), vec!["县管校聘", "1分钱公交", "网络理政", "城市精细化管理"]);
    assert_eq!(p.skipped, 4, "two section headings, a blank row, the 合计 row");
    let created: Vec<&ReformItem> = p
        .rows
        .iter()
        .map(|r| match &r.outcome {
            Outcome::Create(i) => i.as_ref(),
            o => panic!("{o:?}"),
        })
        .collect();
    assert_eq!(created[0].coop_units, vec!["县人社局", "县财政局"]);
    assert_eq!(created[0].leading_official, "王某");
    assert_eq!(created[0].category, "经济体制改革", "the section heading above it");
    assert_eq!((created[1].lead_unit.as_str(), created[1].coop_units.clone()), ("县交通局", vec!["县财政局".to_string()]), "the first unit leads");
    assert_eq!((created[1].kind, created[1].deadline), (ItemKind::MicroReform, Some(d(2026, 6, 30))));
    assert_eq!((created[2].kind, created[2].deadline, created[2].category.as_str()), (ItemKind::Featured, Some(d(2026, 6, 30)), "社会事业改革"));
    assert_eq!((created[3].kind, created[3].deadline, created[3].year), (ItemKind::SmallIncision, None, 2026));
    assert_eq!(p.new_units, vec!["县交通局", "县人社局", "县城市管理局", "县政务服务中心", "县财政局"], "县教育局 is known");
    assert_eq!(p.new_officials, vec!["李某", "王某"]);
    assert_eq!(p.new_groups, vec!["社会事业组"]);

    let done = act(&mut reg, 10, d(2026, 3, 2), "王", |tx| apply(tx, &p, false)).unwrap();
    assert_eq!(done.value, (4, 0));
    let items = ops::all::<ReformItem>(&reg, coll::ITEM);
    assert_eq!(items.len(), 4);
    let group_id = ops::all::<Group>(&reg, coll::GROUP)[0].0.clone();
    assert!(items.iter().filter(|(_, i)| i.special_group == group_id).count() == 2, "both rows joined the group created on confirm");
    assert!(items.iter().all(|(_, i)| i.status == crate::domain::Status::Proposed));

    // The same sheet again: nothing to create, nothing changes.
    let again = plan(&reg, &sheets[l.sheet], &l, 2026);
    assert_eq!(again.count(|o| matches!(o, Outcome::Unchanged { .. })), 4);
    assert!(again.new_units.is_empty() && again.new_groups.is_empty() && again.new_officials.is_empty());
    let before = reg.clone();
    let noop = act(&mut reg, 11, d(2026, 3, 3), "王", |tx| apply(tx, &again, false)).unwrap();
    assert!(noop.changes.is_empty(), "re-importing the same sheet records nothing");
    assert_eq!(reg, before);
    // The sheet a month later: one deadline moved. That item is updated, not duplicated.
    let mut later = sheets.clone();
    later[1].rows[5][6] = txt("2026年9月底");
    let p2 = plan(&reg, &later[l.sheet], &l, 2026);
    let updates: Vec<&PlannedRow> = p2.rows.iter().filter(|r| matches!(r.outcome, Outcome::Update { .. })).collect();
    assert_eq!(updates.len(), 1);
    let Outcome::Update { fields, .. } = &updates[0].outcome else { unreachable!() };
    assert_eq!(fields, &vec!["deadline".to_string()]);
    act(&mut reg, 12, d(2026, 4, 1), "王", |tx| apply(tx, &p2, false)).unwrap();
    assert_eq!(ops::all::<ReformItem>(&reg, coll::ITEM).len(), 4);
}

#[test]
fn bad_rows_are_named_and_nothing_changes_unless_asked() {
    let mut reg = office();
    let mut sheets = pingyuan();
    sheets[1].rows[5][6] = txt("尽快"); // 1分钱公交: no date
    sheets[1].rows[8][3] = txt(""); // 网络理政: no lead unit
    sheets[1].rows[9][2] = txt("规定动作"); // 城市精细化管理: mandated without its source document
    sheets[1].rows.push(vec![Cell::Number(5.0), txt("县管校聘"), txt(""), txt("县教育局")]); // repeats row 5
    sheets[1].rows.push(vec![Cell::Number(6.0), txt("乡村振兴"), txt("大改革"), txt("县农业农村局")]);
    let l = layout(&sheets, &BTreeMap::new()).unwrap();
    let p = plan(&reg, &sheets[l.sheet], &l, 2026);
    // A column the sheet does not have is named by its field.
    let msgs: Vec<String> = p
        .errors()
        .iter()
        .map(|e| {
            format!(
                "第{}行 {}「{}」：{}",
                e.row,
                if e.column.is_empty() { t(Lang::Zh, e.field.label()).to_string() } else { e.column.clone() },
                e.value,
                e.error.message(Lang::Zh)
            )
        })
        .collect();
    assert_eq!(
        msgs,
        vec![
            "第6行 完成时限「尽快」：无法识别的日期（可写作2026年6月底、2026.6、2026-06-30或长期坚持）",
            "第9行 牵头单位「」：请填写“牵头单位”",
            "第10行 上级文件「」：请填写“部署层级”",
            "第12行 改革事项名称「县管校聘」：与第5行重复（同一事项名称和牵头单位）",
            "第13行 改革类型「大改革」：无法识别的改革类型（可写作规定动作、特色项目、微改革、小切口、试点、创新、民生实事）",
        ]
    );
    let before = reg.clone();
    let e = act(&mut reg, 10, d(2026, 3, 2), "", |tx| apply(tx, &p, false)).unwrap_err();
    assert_eq!(e.message(Lang::Zh), "表格中有5处错误，未导入任何数据；可修改表格后重新导入，或选择只导入无误的行");
    assert_eq!(reg, before, "a sheet with errors changes nothing");
    // Asked to, the good rows go in and the bad ones stay out.
    let done = act(&mut reg, 11, d(2026, 3, 2), "", |tx| apply(tx, &p, true)).unwrap();
    assert_eq!(done.value, (1, 0));
    assert_eq!(ops::all::<ReformItem>(&reg, coll::ITEM).iter().map(|(_, i)| i.title.clone()).collect::<Vec<_>>(), vec!["县管校聘"]);
}

/// The same 台账 as an .xlsx (merged title row, date cells, 填表说明 first), as GBK CSV (as Excel
/// saves it on Chinese Windows) and as UTF-8 CSV with a BOM: the same items come out.
#[test]
fn the_same_ledger_from_xlsx_gbk_csv_and_bom_csv() {
    let sheets = pingyuan();
    let xlsx = crate::sheet::samples::ledger_xlsx(&sheets);
    let gbk = crate::sheet::samples::ledger_csv(&sheets[1], true);
    let bom = crate::sheet::samples::ledger_csv(&sheets[1], false);
    let reg = office();
    type Seen = (String, String, Vec<String>, Option<NaiveDate>, String);
    let items_of = |sheets: Vec<Sheet>| -> Vec<Seen> {
        let l = layout(&sheets, &BTreeMap::new()).unwrap();
        let p = plan(&reg, &sheets[l.sheet], &l, 2026);
        assert!(p.errors().is_empty(), "{:?}", p.errors());
        p.rows
            .iter()
            .map(|r| match &r.outcome {
                Outcome::Create(i) => (i.title.clone(), i.lead_unit.clone(), i.coop_units.clone(), i.deadline, i.category.clone()),
                o => panic!("{o:?}"),
            })
            .collect()
    };
    let from_xlsx = items_of(super::super::read::read_xlsx(&xlsx).unwrap());
    assert_eq!(from_xlsx.len(), 4);
    assert_eq!(from_xlsx[0], ("县管校聘".into(), "县教育局".into(), vec!["县人社局".into(), "县财政局".into()], Some(d(2026, 6, 30)), "经济体制改革".into()));
    assert_eq!(items_of(super::super::read::read_csv(&gbk, "台账.csv").unwrap()), from_xlsx, "GBK CSV");
    assert_eq!(items_of(super::super::read::read_csv(&bom, "台账.csv").unwrap()), from_xlsx, "UTF-8 CSV with BOM");
}

/// Re-importing never loses what the office set itself, names are the registry's own spelling,
/// and a row whose result the item's rules would refuse is refused in the preview.
#[test]
fn reimport_keeps_the_office_s_own_values_and_names_match_the_registry() {
    let mut reg = office();
    let t = |v: &[&str]| v.iter().map(|s| txt(s)).collect::<Vec<_>>();
    let sheet = |rows: Vec<Vec<Cell>>| vec![Sheet { name: "台账".into(), rows }];
    let first = sheet(vec![
        t(&["事项名称", "改革类型", "牵头单位", "配合单位", "责任领导", "完成时限"]),
        t(&["县管校聘", "国家级改革试点", "县 教育局", "县财政局", "张三（县委常委、副县长）", "2026年12月"]),
        t(&["集成改革", "", "县发改局（牵头）、县财政局", "", "", "2026年底"]),
        t(&["营商环境", "", "县发改局(牵头)", "", "", "2026年底"]),
    ]);
    let l = layout(&first, &BTreeMap::new()).unwrap();
    let p = plan(&reg, &first[0], &l, 2026);
    assert!(p.errors().is_empty(), "{:?}", p.errors());
    assert_eq!(p.new_units, vec!["县发改局", "县财政局"], "县 教育局 is the known 县教育局; 县发改局（牵头） and (牵头) are one");
    assert_eq!(p.new_officials, vec!["张三"]);
    let Outcome::Create(i) = &p.rows[0].outcome else { panic!() };
    assert_eq!((i.lead_unit.as_str(), i.pilot_level), ("县教育局", Some(crate::domain::PilotLevel::National)));
    act(&mut reg, 10, d(2026, 3, 2), "", |tx| apply(tx, &p, false)).unwrap();
    // The item goes ahead; the office corrects the pilot level to 省级.
    let (id, mut item) = ops::all::<ReformItem>(&reg, coll::ITEM).into_iter().find(|(_, i)| i.title == "县管校聘").unwrap();
    item.pilot_level = Some(crate::domain::PilotLevel::Province);
    act(&mut reg, 11, d(2026, 3, 3), "", |tx| ops::save_item_adding_names(tx, Some(&id), &item)).unwrap();
    act(&mut reg, 12, d(2026, 3, 3), "", |tx| tx.set(coll::ITEM, &id, "status", serde_json::json!("in_progress"))).unwrap();
    // A later sheet without 配合单位 and with a bare 试点 keeps both; 长期坚持 for an item in
    // progress (which needs a deadline) is refused in the preview, naming the row.
    let later = sheet(vec![
        t(&["事项名称", "改革类型", "牵头单位", "完成时限"]),
        t(&["县管校聘", "改革试点", "县教育局", "2026年12月"]),
        t(&["集成改革", "", "县发改局", "长期坚持"]),
    ]);
    let l = layout(&later, &BTreeMap::new()).unwrap();
    let p = plan(&reg, &later[0], &l, 2026);
    assert!(matches!(p.rows[0].outcome, Outcome::Unchanged { .. }), "{:?}", p.rows[0].outcome);
    assert!(matches!(p.rows[1].outcome, Outcome::Update { .. }), "a proposal may drop its deadline");
    let mut later2 = later.clone();
    later2[0].rows[1][3] = txt("长期坚持");
    let p = plan(&reg, &later2[0], &l, 2026);
    let Outcome::Refused(e) = &p.rows[0].outcome else { panic!("{:?}", p.rows[0].outcome) };
    assert_eq!((e[0].row, e[0].column.as_str(), e[0].error.key), (2, "完成时限", K::ErrDeadlineNeeded));
    assert!(p.new_units.is_empty());
}

/// An office that numbers its tasks (编号) keeps them matched through a rename.
#[test]
fn numbered_rows_match_by_number_even_after_a_rename() {
    let mut reg = office();
    let t = |v: &[&str]| v.iter().map(|s| txt(s)).collect::<Vec<_>>();
    let first =
        vec![Sheet { name: "台账".into(), rows: vec![t(&["编号", "事项名称", "牵头单位"]), t(&["PY-2026-01", "县管校聘", "县教育局"])] }];
    let l = layout(&first, &BTreeMap::new()).unwrap();
    assert_eq!(l.mapping, vec![Some(Column::Code), Some(Column::Title), Some(Column::LeadUnit)]);
    let p = plan(&reg, &first[0], &l, 2026);
    act(&mut reg, 10, d(2026, 3, 2), "", |tx| apply(tx, &p, false)).unwrap();
    let renamed = Sheet {
        name: "台账".into(), rows: vec![t(&["编号", "事项名称", "牵头单位"]), t(&["PY-2026-01", "县管校聘（教师县管校聘）", "县教育局"])]
    };
    let p = plan(&reg, &renamed, &l, 2026);
    let Outcome::Update { fields, .. } = &p.rows[0].outcome else { panic!("{:?}", p.rows[0].outcome) };
    assert_eq!(fields, &vec!["title".to_string()]);
    act(&mut reg, 11, d(2026, 3, 3), "", |tx| apply(tx, &p, false)).unwrap();
    let items = ops::all::<ReformItem>(&reg, coll::ITEM);
    assert_eq!(items.iter().map(|(_, i)| (i.code.as_str(), i.title.as_str())).collect::<Vec<_>>(), vec![("PY-2026-01", "县管校聘（教师县管校聘）")]);
}

/// Next year's 台账 imported in December: dates without a year belong to the year its title names.
#[test]
fn the_title_row_names_the_year() {
    let reg = office();
    let t = |v: &[&str]| v.iter().map(|s| txt(s)).collect::<Vec<_>>();
    let sheet = Sheet {
        name: "台账".into(),
        rows: vec![
            t(&["平原县2027年全面深化改革重点任务台账"]),
            t(&["事项名称", "牵头单位", "完成时限"]),
            t(&["县管校聘", "县教育局", "6月底"]),
            t(&["网络理政", "县政务服务中心", ""]),
        ],
    };
    assert_eq!(title_year(&sheet, 1), Some(2027));
    let l = layout(std::slice::from_ref(&sheet), &BTreeMap::new()).unwrap();
    let p = plan(&reg, &sheet, &l, 2026);
    let created: Vec<(Option<NaiveDate>, i32)> = p
        .rows
        .iter()
        .map(|r| match &r.outcome {
            Outcome::Create(i) => (i.deadline, i.year),
            o => panic!("{o:?}"),
        })
        .collect();
    assert_eq!(created, vec![(Some(d(2027, 6, 30)), 2027), (None, 2027)]);
    // Without a year in the title, the year given is used; a 20260630-like number is no year.
    assert_eq!(title_year(&Sheet { name: "x".into(), rows: vec![t(&["编号20261年"])] }, 1), None);
}
