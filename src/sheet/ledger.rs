//! An office's Excel 台账 read as reform items: find the header row, map its columns to fields,
//! read each row (dates as Excel cells or as text like "2026年6月底", full-width digits, units joined
//! by 、), and plan what importing it would do. Nothing is written until `apply` is called with
//! the plan the user saw.

use super::{Cell, Sheet};
use crate::domain::model::{coll, ItemKind, ReformItem};
use crate::domain::tx::Tx;
use crate::domain::validate::{validate_item, DomainError};
use crate::domain::{ops, ownership, Group, Official, Unit};
use crate::i18n::K;
use crate::order::LeanSort;
use crate::sync::{RecordId, Registry};
use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

/// The fields a 台账 column can fill.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Column {
    Title,
    Code,
    Kind,
    Goal,
    WorkPath,
    LeadUnit,
    CoopUnits,
    LeadingOfficial,
    Deadline,
    Group,
    Batch,
    Category,
    SourceDoc,
    Tags,
}

impl Column {
    pub const ALL: &'static [Column] = &[
        Column::Title,
        Column::Code,
        Column::Kind,
        Column::Goal,
        Column::WorkPath,
        Column::LeadUnit,
        Column::CoopUnits,
        Column::LeadingOfficial,
        Column::Deadline,
        Column::Group,
        Column::Batch,
        Column::Category,
        Column::SourceDoc,
        Column::Tags,
    ];

    pub fn label(self) -> K {
        match self {
            Column::Title => K::FTitle,
            Column::Code => K::FCode,
            Column::Kind => K::FKind,
            Column::Goal => K::FGoal,
            Column::WorkPath => K::FWorkPath,
            Column::LeadUnit => K::FLeadUnit,
            Column::CoopUnits => K::FCoopUnits,
            Column::LeadingOfficial => K::FLeadingOfficial,
            Column::Deadline => K::FDeadline,
            Column::Group => K::FSpecialGroup,
            Column::Batch => K::FBatch,
            Column::Category => K::FCategory,
            Column::SourceDoc => K::FSourceDoc,
            Column::Tags => K::FTags,
        }
    }

    pub fn code(self) -> String {
        serde_json::to_value(self).ok().and_then(|v| v.as_str().map(str::to_string)).unwrap_or_default()
    }

    pub fn from_code(s: &str) -> Option<Self> {
        serde_json::from_value(serde_json::Value::String(s.to_string())).ok()
    }

    /// Header words offices use for the field (a header containing one maps to it; the longest
    /// match wins, so 牵头专项小组 is the group and not the lead unit).
    fn words(self) -> &'static [&'static str] {
        match self {
            Column::Title => &["事项名称", "改革事项", "改革任务", "任务名称", "项目名称", "重点任务", "具体任务", "工作任务", "名称", "事项", "任务"],
            Column::Code => &["任务编号", "事项编号", "项目编号", "编号"],
            Column::Kind => &["改革类型", "事项类型", "任务类型", "类型"],
            Column::Goal => &["工作目标", "任务目标", "目标任务", "改革目标", "预期目标", "目标"],
            Column::WorkPath => {
                &["工作路径", "工作措施", "主要举措", "具体措施", "推进措施", "工作举措", "实施路径", "改革内容", "主要内容", "工作内容", "具体内容", "措施"]
            }
            Column::LeadUnit => &["牵头单位", "牵头部门", "责任单位", "责任部门", "主责单位", "承办单位"],
            Column::CoopUnits => &["配合单位", "配合部门", "协同单位", "参与单位", "协办单位"],
            Column::LeadingOfficial => &["领衔领导", "责任领导", "牵头领导", "分管领导", "县级领导", "市级领导", "领导"],
            Column::Deadline => &["完成时限", "时间节点", "完成时间", "时限要求", "截止时间", "完成期限", "时限"],
            Column::Group => &["专项小组", "所属小组", "牵头小组"],
            Column::Batch => &["批次"],
            Column::Category => &["改革领域", "所属领域", "领域", "事项类别", "任务类别", "类别", "分类"],
            Column::SourceDoc => &["来源文件", "上级文件", "政策依据", "任务来源", "事项来源", "文件依据", "文件名称", "依据"],
            Column::Tags => &["标签", "关键词"],
        }
    }
}

/// Full-width digits, letters and punctuation as their ASCII forms; spaces and line breaks gone.
pub use crate::domain::org::norm as normalize;

/// The column a header names, if any. 序号 and empty headers map to nothing.
pub fn column_for(header: &str) -> Option<Column> {
    let h = normalize(header).replace(['*', '※'], "");
    if h.is_empty() || h.contains("序号") || h == "No." {
        return None;
    }
    // A header is a short label; a long cell is data, not a header.
    if h.chars().count() > 20 {
        return None;
    }
    // Specific words beat generic ones (名称, 事项, 任务 alone say little: 事项类别 is a category).
    let weight = |w: &str| {
        if ["名称", "事项", "任务", "目标", "措施", "领导", "时限", "类型", "依据"].contains(&w) {
            1
        } else {
            2 * w.chars().count()
        }
    };
    let mut best: Option<(usize, Column)> = None;
    for c in Column::ALL {
        for w in c.words() {
            if h.contains(w) && best.is_none_or(|(n, _)| weight(w) > n) {
                best = Some((weight(w), *c));
            }
        }
    }
    best.map(|(_, c)| c)
}

/// Column → field, one entry per sheet column (None: not imported).
pub type Mapping = Vec<Option<Column>>;

/// Where the header is and what its columns map to.
#[derive(Clone, Debug, PartialEq)]
pub struct Layout {
    pub sheet: usize,
    /// 0-based row of the header.
    pub header_row: usize,
    pub headers: Vec<String>,
    pub mapping: Mapping,
}

fn header_score(sheet: &Sheet, row: usize) -> (usize, bool) {
    let cols: Vec<Option<Column>> = (0..sheet.width()).map(|c| column_for(&sheet.cell(row, c).text())).collect();
    let distinct: BTreeSet<Column> = cols.iter().flatten().copied().collect();
    (distinct.len(), distinct.contains(&Column::Title))
}

/// Finds the sheet and its header row (the first row among the first 15 that names the item and at
/// least one other field), and suggests a mapping; `remembered` (header text → field, from the
/// office's last import) overrides the suggestion.
pub fn layout(sheets: &[Sheet], remembered: &BTreeMap<String, Option<Column>>) -> Option<Layout> {
    let mut best: Option<(usize, usize, usize)> = None; // (score, sheet, row)
    for (s, sheet) in sheets.iter().enumerate() {
        for row in 0..sheet.rows.len().min(15) {
            let (score, has_title) = header_score(sheet, row);
            if has_title && score >= 2 && best.is_none_or(|(b, _, _)| score > b) {
                best = Some((score, s, row));
            }
        }
    }
    let (_, s, header_row) = best?;
    let sheet = &sheets[s];
    let headers: Vec<String> = (0..sheet.width()).map(|c| sheet.cell(header_row, c).text()).collect();
    let mut mapping: Mapping = headers.iter().map(|h| remembered.get(&normalize(h)).copied().unwrap_or_else(|| column_for(h))).collect();
    // One column per field: a later column naming a field already taken is left out.
    let mut seen = BTreeSet::new();
    for m in mapping.iter_mut() {
        if let Some(c) = m {
            if !seen.insert(*c) {
                *m = None;
            }
        }
    }
    Some(Layout { sheet: s, header_row, headers, mapping })
}

// ---- Reading values ----

/// Days from Excel's day 0 (1899-12-30, with its 1900 leap-year bug folded in).
pub fn excel_date(serial: f64) -> Option<NaiveDate> {
    if !(1.0..2_958_466.0).contains(&serial) {
        return None;
    }
    NaiveDate::from_ymd_opt(1899, 12, 30)?.checked_add_signed(chrono::Duration::days(serial.floor() as i64))
}

fn month_end(y: i32, m: u32) -> Option<NaiveDate> {
    crate::domain::scoring::month_end(y, m)
}

/// A date the reader could not make out.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct BadDate;

/// A deadline as offices write it. `Ok(None)`: no deadline (长期坚持, 持续推进, 常态化). Several
/// dates in one cell (方案6月底前，12月底前全面完成) give the last one. `year` is used when the text
/// names no year (6月底).
pub fn parse_deadline(cell: &Cell, year: i32) -> Result<Option<NaiveDate>, BadDate> {
    let plausible = |d: NaiveDate| (2000..=2100).contains(&d.year());
    // A date typed as 2026年6月 or 2026-6 is stored by Excel as its first day: a deadline named
    // by its month is that month's end.
    let month_named = |d: NaiveDate| if d.day() == 1 { month_end(d.year(), d.month()).unwrap_or(d) } else { d };
    let s = match cell {
        Cell::Empty => return Ok(None),
        Cell::Date(d) if plausible(*d) => return Ok(Some(month_named(*d))),
        Cell::Date(_) => return Err(BadDate),
        Cell::Number(n) if n.fract() == 0.0 && (2000.0..=2100.0).contains(n) => return Ok(month_end(*n as i32, 12)),
        // 2026.6 typed into a number cell: year and month (2026.1 could be January or October).
        Cell::Number(n) if (2000.0..2101.0).contains(n) => {
            let text = format!("{n}");
            let (y, m) = text.split_once('.').ok_or(BadDate)?;
            return match (y.parse::<i32>(), m) {
                (Ok(_), "1") => Err(BadDate),
                (Ok(y), m) => m.parse::<u32>().ok().filter(|m| (1..=12).contains(m)).and_then(|m| month_end(y, m)).map(Some).ok_or(BadDate),
                _ => Err(BadDate),
            };
        }
        // A date serial between 2000 and 2100.
        Cell::Number(n) if (36526.0..=73415.0).contains(n) => return excel_date(*n).map(|d| Some(month_named(d))).ok_or(BadDate),
        Cell::Number(_) => return Err(BadDate),
        Cell::Text(s) => s.chars().map(|c| if c.is_whitespace() || c == '\u{3000}' { ' ' } else { c }).collect::<String>(),
    };
    let s: String = s.chars().filter_map(|c| if ('\u{ff01}'..='\u{ff5e}').contains(&c) { char::from_u32(c as u32 - 0xfee0) } else { Some(c) }).collect();
    let s = s.trim();
    if s.is_empty() {
        return Ok(None);
    }
    // A year relative to an unknown one cannot be placed.
    if ["次年", "明年", "下年", "下一年", "翌年"].iter().any(|w| s.contains(w)) {
        return Err(BadDate);
    }
    // Ongoing work (长期坚持, 2026年起持续推进) has no deadline unless a month or year end is named.
    let ongoing = ["长期", "持续", "常态", "每年", "逐年", "每季", "每月"].iter().any(|w| s.contains(w));
    if ongoing && !s.contains('月') && !s.contains("年底") && !s.contains("年末") {
        return Ok(None);
    }
    let chars: Vec<char> = s.chars().collect();
    let mut found: Vec<NaiveDate> = vec![];
    let mut cur_year = year;
    // Numbers joined by . / - (y.m.d); `iso` when the first joint was '-', so 2026-06-30 is one
    // date while 2026.3-6 is a range of months.
    let mut pending: Vec<u32> = vec![];
    let mut iso = false;
    let mut range = false;
    let mut bad = false;
    let mut flush = |pending: &mut Vec<u32>, found: &mut Vec<NaiveDate>, cur_year: &mut i32, range: bool| {
        match pending.as_slice() {
            [y, m, d] if *y >= 1900 => match NaiveDate::from_ymd_opt(*y as i32, *m, *d) {
                Some(x) => {
                    found.push(x);
                    *cur_year = *y as i32;
                }
                None => bad = true,
            },
            [y, m] if *y >= 1900 => match month_end(*y as i32, *m).filter(|_| (1..=12).contains(m)) {
                Some(x) => {
                    found.push(x);
                    *cur_year = *y as i32;
                }
                None => bad = true,
            },
            // The end of a range within the year: 2026.6.30-12.31.
            [m, d] if range => match NaiveDate::from_ymd_opt(*cur_year, *m, *d) {
                Some(x) => found.push(x),
                None => bad = true,
            },
            // 20260630
            [n] if *n >= 20_000_101 && *n <= 21_001_231 => match NaiveDate::from_ymd_opt((*n / 10_000) as i32, n / 100 % 100, n % 100) {
                Some(x) => found.push(x),
                None => bad = true,
            },
            // The end of a range of months: 2026.3-6.
            [m] if range && (1..=12).contains(m) => found.extend(month_end(*cur_year, *m)),
            _ => {}
        }
        pending.clear();
    };
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c.is_ascii_digit() {
            let start = i;
            while i < chars.len() && chars[i].is_ascii_digit() {
                i += 1;
            }
            let n: u32 = chars[start..i].iter().collect::<String>().parse().unwrap_or(0);
            match chars.get(i).copied() {
                Some('年') => {
                    flush(&mut pending, &mut found, &mut cur_year, range);
                    if !(2000..=2100).contains(&n) {
                        return Err(BadDate);
                    }
                    cur_year = n as i32;
                    i += 1;
                    let rest: String = chars[i..].iter().collect();
                    if ["底", "末", "内", "下半年", "年底", "全年"].iter().any(|w| rest.starts_with(w)) {
                        found.extend(month_end(cur_year, 12));
                    } else if rest.starts_with("上半年") {
                        found.extend(month_end(cur_year, 6));
                    } else if rest.is_empty() || rest.starts_with(['前', '完', '，', ',', '；', ';', ' ', '。']) {
                        found.extend(month_end(cur_year, 12));
                    }
                }
                Some('月') => {
                    flush(&mut pending, &mut found, &mut cur_year, range);
                    i += 1;
                    if !(1..=12).contains(&n) {
                        return Err(BadDate);
                    }
                    let mut j = i;
                    while j < chars.len() && chars[j].is_ascii_digit() {
                        j += 1;
                    }
                    let rest: String = chars[j..].iter().collect();
                    let x = if j > i && (rest.starts_with('日') || rest.starts_with('号')) {
                        let d = chars[i..j].iter().collect::<String>().parse::<u32>().unwrap_or(0);
                        i = j + 1;
                        NaiveDate::from_ymd_opt(cur_year, n, d)
                    } else if rest.starts_with("上旬") {
                        NaiveDate::from_ymd_opt(cur_year, n, 10)
                    } else if rest.starts_with("中旬") {
                        NaiveDate::from_ymd_opt(cur_year, n, 20)
                    } else {
                        month_end(cur_year, n)
                    };
                    match x {
                        Some(x) => found.push(x),
                        None => return Err(BadDate),
                    }
                }
                Some(sep @ ('-' | '/' | '.')) if chars.get(i + 1).is_some_and(|c| c.is_ascii_digit()) => {
                    if pending.is_empty() {
                        iso = sep == '-';
                    }
                    pending.push(n);
                    if sep == '-' && !iso {
                        // 2026.3-6: the dash ends the first date and starts a range.
                        flush(&mut pending, &mut found, &mut cur_year, range);
                        range = true;
                    }
                    i += 1;
                }
                Some('季') => {
                    flush(&mut pending, &mut found, &mut cur_year, range);
                    if (1..=4).contains(&n) {
                        found.extend(month_end(cur_year, n * 3));
                    }
                    i += 1;
                }
                _ => {
                    pending.push(n);
                    flush(&mut pending, &mut found, &mut cur_year, range);
                    // A lone year (2026) means its end.
                    if found.is_empty() && (2000..=2100).contains(&n) && start == 0 && i == chars.len() {
                        found.extend(month_end(n as i32, 12));
                    }
                }
            }
            continue;
        }
        // Chinese quarter words: 一季度 … 四季度 (第三季度).
        if let Some(q) = ['一', '二', '三', '四'].iter().position(|x| *x == c) {
            if chars.get(i + 1) == Some(&'季') {
                found.extend(month_end(cur_year, (q as u32 + 1) * 3));
                i += 2;
                continue;
            }
        }
        flush(&mut pending, &mut found, &mut cur_year, range);
        if matches!(c, '—' | '~' | '～' | '至' | '到' | '-') {
            range = true;
        }
        i += 1;
    }
    flush(&mut pending, &mut found, &mut cur_year, range);
    if bad {
        return Err(BadDate);
    }
    if let Some(last) = found.into_iter().max() {
        return if plausible(last) { Ok(Some(last)) } else { Err(BadDate) };
    }
    if s.contains("年底") || s.contains("年末") || s.contains("年内") {
        return Ok(month_end(year, 12));
    }
    Err(BadDate)
}

/// The kind of item a 改革类型 cell names (empty: 特色项目).
pub fn parse_kind(s: &str) -> Option<ItemKind> {
    let s = normalize(s);
    if s.is_empty() {
        return Some(ItemKind::Featured);
    }
    let table: &[(&str, ItemKind)] = &[
        ("规定动作", ItemKind::Mandated),
        ("上级部署", ItemKind::Mandated),
        ("微改革", ItemKind::MicroReform),
        ("微创新", ItemKind::MicroReform),
        ("小切口", ItemKind::SmallIncision),
        ("试点", ItemKind::Pilot),
        ("创新", ItemKind::Innovation),
        ("民生实事", ItemKind::Livelihood),
        ("民生", ItemKind::Livelihood),
        ("特色", ItemKind::Featured),
        ("自选", ItemKind::Featured),
    ];
    table.iter().find(|(w, _)| s.contains(w)).map(|(_, k)| *k)
}

pub use crate::domain::org::split_names;

/// Text without what is in brackets: 张三（县委常委、副县长） → 张三, 县发改局(牵头) → 县发改局.
fn unbracketed(s: &str) -> String {
    let mut depth = 0;
    s.chars()
        .filter(|c| match c {
            '（' | '(' => {
                depth += 1;
                false
            }
            '）' | ')' => {
                depth = (depth - 1i32).max(0);
                false
            }
            '*' | '※' => false,
            _ => depth == 0,
        })
        .collect::<String>()
        .trim()
        .to_string()
}

/// Names in a cell, posts and marks in brackets left out.
fn names(s: &str) -> Vec<String> {
    split_names(&unbracketed(s))
}

// ---- Rows → items ----

/// A refused row: where, what and why.
#[derive(Clone, Debug, PartialEq)]
pub struct RowError {
    /// The row number as the sheet shows it (1-based).
    pub row: usize,
    /// The column's header (empty when the sheet has no such column).
    pub column: String,
    pub field: Column,
    pub value: String,
    pub error: DomainError,
}

/// What importing one row would do.
#[derive(Clone, Debug, PartialEq)]
pub enum Outcome {
    Create(Box<ReformItem>),
    /// An existing item (matched by title and lead unit) and the fields the row changes.
    Update {
        id: RecordId,
        item: Box<ReformItem>,
        fields: Vec<String>,
    },
    Unchanged {
        id: RecordId,
    },
    Refused(Vec<RowError>),
}

#[derive(Clone, Debug, PartialEq)]
pub struct PlannedRow {
    /// 1-based row number in the sheet.
    pub row: usize,
    pub title: String,
    pub outcome: Outcome,
    /// The special group named in the row when it is not yet in 组织架构 (created on confirm).
    pub new_group: String,
}

/// The preview: every row's outcome and the organisation records a confirmed import creates.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Plan {
    pub rows: Vec<PlannedRow>,
    pub new_units: Vec<String>,
    pub new_officials: Vec<String>,
    pub new_groups: Vec<String>,
    /// Rows left out as not items: blank, 合计, section headings.
    pub skipped: usize,
}

impl Plan {
    pub fn count(&self, f: impl Fn(&Outcome) -> bool) -> usize {
        self.rows.iter().filter(|r| f(&r.outcome)).count()
    }
    pub fn errors(&self) -> Vec<&RowError> {
        self.rows
            .iter()
            .flat_map(|r| match &r.outcome {
                Outcome::Refused(e) => e.iter().collect(),
                _ => vec![],
            })
            .collect()
    }
}

fn key(title: &str, unit: &str) -> (String, String) {
    (normalize(title), normalize(unit))
}

fn is_total_row(texts: &[String]) -> bool {
    texts.iter().filter(|t| !t.is_empty()).take(2).any(|t| {
        let t = normalize(t);
        t == "合计" || t == "总计" || t == "小计" || t.starts_with("合计") || t.starts_with("总计")
    })
}

/// A section heading inside the table (一、经济体制改革（12项）): its text, used as the category
/// of the rows below it.
fn section(texts: &[String], title_col: Option<usize>) -> Option<String> {
    let mut non_empty: Vec<&String> = texts.iter().filter(|t| !t.is_empty()).collect();
    // A heading merged across the row repeats in every cell.
    non_empty.dedup();
    if non_empty.len() != 1 || title_col.is_some_and(|c| texts.get(c).is_some_and(|t| !t.is_empty()) && non_empty.len() > 1) {
        return None;
    }
    let t = non_empty[0].trim();
    let numbered = ["一", "二", "三", "四", "五", "六", "七", "八", "九", "十"].iter().any(|n| t.starts_with(n)) && (t.contains('、') || t.contains('.'));
    if !numbered {
        return None;
    }
    let name = t.split_once(['、', '.']).map(|(_, r)| r).unwrap_or(t);
    let name = name.split(['（', '(']).next().unwrap_or(name).trim();
    (!name.is_empty()).then(|| name.to_string())
}

/// The year a 台账 is for, as its title rows name it (平原县2026年全面深化改革重点任务台账).
pub fn title_year(sheet: &Sheet, header_row: usize) -> Option<i32> {
    (0..header_row).flat_map(|r| sheet.rows.get(r).into_iter().flatten()).find_map(|c| {
        let t = normalize(&c.text());
        let chars: Vec<char> = t.chars().collect();
        (0..chars.len().saturating_sub(4)).find_map(|i| {
            let y: String = chars[i..i + 4].iter().collect();
            let before_ok = i == 0 || !chars[i - 1].is_ascii_digit();
            (before_ok && chars[i + 4] == '年').then(|| y.parse::<i32>().ok()).flatten().filter(|y| (2000..=2100).contains(y))
        })
    })
}

/// Reads the sheet under `layout` into a plan against the registry as it stands. `year` is the
/// year for items whose deadline names none (and for items without a deadline) when the sheet's
/// title rows do not name one.
pub fn plan(reg: &Registry, sheet: &Sheet, layout: &Layout, year: i32) -> Plan {
    let year = title_year(sheet, layout.header_row).unwrap_or(year);
    let col = |c: Column| layout.mapping.iter().position(|m| *m == Some(c));
    let title_col = col(Column::Title);
    // One directory decides what a name means (current names and earlier ones).
    let dir = crate::domain::org::Directory::of(reg);
    let groups: BTreeMap<String, RecordId> = ops::all::<Group>(reg, coll::GROUP).into_iter().map(|(id, g)| (normalize(&g.name), id)).collect();
    let existing: BTreeMap<(String, String), (RecordId, ReformItem)> =
        ops::all::<ReformItem>(reg, coll::ITEM).into_iter().map(|(id, i)| (key(&i.title, &i.lead_unit), (id, i))).collect();
    // 编号 first: a row with the office's number matches that item even after a rename.
    let by_code: BTreeMap<String, (String, String)> =
        existing.iter().filter(|(_, (_, i))| !i.code.trim().is_empty()).map(|(k, (_, i))| (normalize(&i.code), k.clone())).collect();
    let mut out = Plan::default();
    // New names, deduplicated as the registry would see them (县发改局 and 县发改局（牵头）are one).
    let (mut new_units, mut new_officials, mut new_groups) = (BTreeMap::new(), BTreeMap::new(), BTreeMap::new());
    // A name that matches a known record when spaces and full-width forms are ignored takes the
    // record's own spelling, so per-unit figures find the item.
    let canonical = |n: &str| dir.unit_name(n);
    let width = sheet.width();
    let mut seen_in_sheet: BTreeMap<(String, String), usize> = BTreeMap::new();
    let mut current_section: Option<String> = None;
    for r in layout.header_row + 1..sheet.rows.len() {
        let texts: Vec<String> = (0..width).map(|c| sheet.cell(r, c).text()).collect();
        if texts.iter().all(|t| t.is_empty()) || is_total_row(&texts) {
            out.skipped += 1;
            continue;
        }
        if let Some(s) = section(&texts, title_col) {
            current_section = Some(s);
            out.skipped += 1;
            continue;
        }
        let get = |c: Column| col(c).map(|n| texts[n].clone()).unwrap_or_default();
        // A row with only a 序号 (or other unmapped cells) is not an item.
        if layout.mapping.iter().zip(&texts).all(|(m, t)| m.is_none() || t.is_empty()) {
            out.skipped += 1;
            continue;
        }
        let row_no = r + 1;
        let mut errors: Vec<RowError> = vec![];
        let err = |c: Column, value: &str, e: DomainError| RowError {
            row: row_no,
            column: col(c).map(|n| layout.headers[n].clone()).unwrap_or_default(),
            field: c,
            value: value.chars().take(60).collect(),
            error: e,
        };
        let mut item =
            ReformItem { title: get(Column::Title), code: get(Column::Code), goal: get(Column::Goal), work_path: get(Column::WorkPath), ..Default::default() };
        let kind_text = get(Column::Kind);
        match parse_kind(&kind_text) {
            Some(k) => item.kind = k,
            None => errors.push(err(Column::Kind, &kind_text, DomainError::new(K::ErrSheetKind))),
        }
        let deadline_cell = col(Column::Deadline).map(|n| sheet.cell(r, n).clone()).unwrap_or(Cell::Empty);
        match parse_deadline(&deadline_cell, year) {
            Ok(d) => item.deadline = d,
            Err(BadDate) => errors.push(err(Column::Deadline, &deadline_cell.text(), DomainError::new(K::ErrSheetDate))),
        }
        item.year = item.deadline.map(|d| d.year()).unwrap_or(year);
        // Several units in 牵头单位: the first leads, the others cooperate.
        let mut leads: Vec<String> = names(&get(Column::LeadUnit)).iter().map(|u| canonical(u)).collect();
        let several_leads = leads.len() > 1;
        item.lead_unit = if leads.is_empty() { String::new() } else { leads.remove(0) };
        let mut coop = leads;
        coop.extend(names(&get(Column::CoopUnits)).iter().map(|u| canonical(u)));
        coop.retain(|u| *u != item.lead_unit);
        let mut dedup = BTreeSet::new();
        coop.retain(|u| dedup.insert(u.clone()));
        item.coop_units = coop;
        item.leading_official = dir.officials_text(&names(&get(Column::LeadingOfficial)).join("、"));
        item.batch = get(Column::Batch);
        item.category = match get(Column::Category) {
            c if c.is_empty() => current_section.clone().unwrap_or_default(),
            c => c,
        };
        item.source_doc = get(Column::SourceDoc);
        if item.kind == ItemKind::Mandated && !item.source_doc.is_empty() {
            // The level a mandated task comes from, as its source document names it.
            item.source_level = Some(if item.source_doc.contains("中央") || item.source_doc.contains("国务院") {
                crate::domain::SourceLevel::Central
            } else if item.source_doc.contains("省") {
                crate::domain::SourceLevel::Province
            } else {
                crate::domain::SourceLevel::City
            });
        }
        if item.kind == ItemKind::Pilot {
            item.pilot_level = Some(if kind_text.contains("国家") {
                crate::domain::PilotLevel::National
            } else if kind_text.contains("省") {
                crate::domain::PilotLevel::Province
            } else {
                crate::domain::PilotLevel::City
            });
        }
        item.tags = split_names(&get(Column::Tags));
        let group_name = get(Column::Group);
        let mut new_group = String::new();
        if !group_name.is_empty() {
            match groups.get(&normalize(&group_name)) {
                Some(id) => item.special_group = id.clone(),
                None => new_group = group_name.clone(),
            }
        }
        // The same rules as the item form.
        if let Err(e) = validate_item(&item) {
            let c = match e.field {
                Some("title") => Column::Title,
                Some("lead_unit") | Some("coop_units") => Column::LeadUnit,
                Some("deadline") | Some("year") => Column::Deadline,
                Some("source_doc") | Some("source_level") => Column::SourceDoc,
                Some("pilot_level") => Column::Kind,
                _ => Column::Title,
            };
            let v = match c {
                Column::LeadUnit => get(Column::LeadUnit),
                Column::SourceDoc => get(Column::SourceDoc),
                Column::Kind => kind_text.clone(),
                _ => item.title.clone(),
            };
            errors.push(err(c, &v, e));
        }
        // A retired unit or official is not taken for a row (the form refuses it the same way).
        for b in crate::domain::org::bad_refs(&dir, None, &item).into_iter().filter(|b| b.retired) {
            let c = if b.kind == crate::domain::org::OrgKind::Unit { Column::LeadUnit } else { Column::LeadingOfficial };
            errors.push(err(c, &b.name, DomainError::new(K::ErrOrgRetired).arg(&b.name)));
        }
        let k = key(&item.title, &item.lead_unit);
        if let Some(first) = seen_in_sheet.get(&k) {
            errors.push(err(Column::Title, &item.title, DomainError::new(K::ErrSheetDuplicateRow).arg(first)));
        }
        let title = item.title.clone();
        // An existing item takes the sheet's columns; the result must pass the item's rules with
        // its own status (an approved item needs a deadline), else the row is refused here, not
        // at apply.
        let outcome = if !errors.is_empty() {
            Outcome::Refused(errors)
        } else {
            let matched = by_code.get(&normalize(&item.code)).filter(|_| !item.code.is_empty()).and_then(|k2| existing.get(k2)).or_else(|| existing.get(&k));
            match matched {
                Some((id, old)) => match ownership::check(reg, id) {
                    Err(e) => Outcome::Refused(vec![err(Column::Title, &title, e)]),
                    Ok(()) => {
                        let merged = merge(old, &item, &layout.mapping, &group_name, several_leads, &kind_text);
                        match validate_item(&merged) {
                            Err(e) => Outcome::Refused(vec![err(if e.field == Some("deadline") { Column::Deadline } else { Column::Title }, &title, e)]),
                            Ok(()) => {
                                let fields: Vec<String> = crate::domain::model::to_writes(Some(old), &merged).into_iter().map(|(f, _)| f).collect();
                                if fields.is_empty() {
                                    Outcome::Unchanged { id: id.clone() }
                                } else {
                                    Outcome::Update { id: id.clone(), item: Box::new(merged), fields }
                                }
                            }
                        }
                    }
                },
                None => Outcome::Create(Box::new(item.clone())),
            }
        };
        // Units, officials and groups are added only for rows that will be written.
        if matches!(outcome, Outcome::Create(_) | Outcome::Update { .. }) {
            seen_in_sheet.insert(k.clone(), row_no);
            if !new_group.is_empty() {
                new_groups.entry(normalize(&new_group)).or_insert_with(|| new_group.clone());
            }
            for u in std::iter::once(&item.lead_unit).chain(&item.coop_units) {
                if dir.unit(u).is_none() {
                    new_units.entry(normalize(u)).or_insert_with(|| u.clone());
                }
            }
            for p in split_names(&item.leading_official) {
                if dir.official(&p).is_none() {
                    new_officials.entry(normalize(&p)).or_insert(p);
                }
            }
        } else if matches!(outcome, Outcome::Unchanged { .. }) {
            seen_in_sheet.insert(k.clone(), row_no);
        }
        out.rows.push(PlannedRow { row: row_no, title, outcome, new_group });
    }
    out.new_units = new_units.into_values().collect();
    out.new_officials = new_officials.into_values().collect();
    out.new_groups = new_groups.into_values().collect();
    for v in [&mut out.new_units, &mut out.new_officials, &mut out.new_groups] {
        v.lean_sort();
    }
    out
}

/// An existing item with what the sheet's mapped columns say (unmapped fields, status, milestones
/// and indicators stay as they are).
fn merge(old: &ReformItem, new: &ReformItem, mapping: &Mapping, group_name: &str, several_leads: bool, kind_text: &str) -> ReformItem {
    let mut m = old.clone();
    let mapped = |c: Column| mapping.contains(&Some(c));
    for c in mapping.iter().flatten() {
        match c {
            Column::Title => m.title = new.title.clone(),
            Column::Code => m.code = new.code.clone(),
            Column::Kind => {
                m.kind = new.kind;
                // A level is taken from the sheet only when its text names one; otherwise the
                // office's own choice stays.
                let names_level = ["国家", "省", "市"].iter().any(|w| kind_text.contains(w));
                if new.kind != ItemKind::Pilot || names_level {
                    m.pilot_level = if new.kind == ItemKind::Pilot { new.pilot_level } else { None };
                }
                if new.kind != ItemKind::Mandated {
                    m.source_level = None;
                } else if m.source_level.is_none() {
                    m.source_level = new.source_level;
                }
            }
            Column::Goal => m.goal = new.goal.clone(),
            Column::WorkPath => m.work_path = new.work_path.clone(),
            Column::LeadUnit => {
                m.lead_unit = new.lead_unit.clone();
                // Cooperating units change with 牵头单位 only when that cell named several.
                if several_leads && !mapped(Column::CoopUnits) {
                    m.coop_units = new.coop_units.clone();
                }
                m.coop_units.retain(|u| *u != m.lead_unit);
            }
            Column::CoopUnits => m.coop_units = new.coop_units.clone(),
            Column::LeadingOfficial => m.leading_official = new.leading_official.clone(),
            Column::Deadline => {
                m.deadline = new.deadline;
                // An item without a deadline keeps its year.
                if new.deadline.is_some() {
                    m.year = new.year;
                }
            }
            Column::Group if !group_name.is_empty() => m.special_group = new.special_group.clone(),
            Column::Group => {}
            Column::Batch => m.batch = new.batch.clone(),
            Column::Category => m.category = new.category.clone(),
            Column::SourceDoc => {
                m.source_doc = new.source_doc.clone();
                if new.source_level.is_some() && ["中央", "国务院", "省"].iter().any(|w| new.source_doc.contains(w)) {
                    m.source_level = new.source_level;
                }
            }
            Column::Tags => m.tags = new.tags.clone(),
        }
    }
    m
}

/// Applies a previewed plan as one action: the new units, officials and groups, then the items
/// (created as 谋划申报, to go through review and approval like any other). A plan with refused
/// rows is applied only with `without_refused`; then those rows are left out. Returns (created,
/// updated).
pub fn apply(tx: &mut Tx, plan: &Plan, without_refused: bool) -> Result<(usize, usize), DomainError> {
    let refused = plan.errors().len();
    if refused > 0 && !without_refused {
        return Err(DomainError::new(K::ErrSheetHasErrors).arg(refused));
    }
    for u in &plan.new_units {
        ops::save_unit(tx, None, &Unit { name: u.clone(), ..Default::default() })?;
    }
    for o in &plan.new_officials {
        ops::save_official(tx, None, &Official { name: o.clone(), ..Default::default() })?;
    }
    let mut group_ids: BTreeMap<String, RecordId> = BTreeMap::new();
    for g in &plan.new_groups {
        group_ids.insert(g.clone(), ops::save_group(tx, None, &Group { name: g.clone(), ..Default::default() })?);
    }
    let (mut created, mut updated) = (0, 0);
    for r in &plan.rows {
        match &r.outcome {
            Outcome::Create(item) => {
                let mut item = (**item).clone();
                resolve_group(&mut item, &group_ids, r);
                ops::save_item(tx, None, &item)?;
                created += 1;
            }
            Outcome::Update { id, item, .. } => {
                let mut item = (**item).clone();
                resolve_group(&mut item, &group_ids, r);
                ops::save_item(tx, Some(id), &item)?;
                updated += 1;
            }
            Outcome::Unchanged { .. } | Outcome::Refused(_) => {}
        }
    }
    Ok((created, updated))
}

// A group created by this import was known only by name; the item takes its new id.
fn resolve_group(item: &mut ReformItem, created: &BTreeMap<String, RecordId>, row: &PlannedRow) {
    if item.special_group.is_empty() && !row.new_group.is_empty() {
        if let Some(id) = created.get(&row.new_group) {
            item.special_group = id.clone();
        }
    }
}

#[cfg(test)]
mod tests;
