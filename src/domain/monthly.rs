//! The monthly cycle (淄博 “六个一”): progress dispatch (调度), each item's status for the month,
//! supervision visits, the escalation ladder 提示单 → 交办单 → 催办单 → 责令书 with serial
//! numbers (文号), and the figures of the monthly bulletin (通报).

use super::figures;
use super::model::{coll, from_record, live_in, ReformItem, Status};
use super::ops;
use super::tx::Tx;
use super::validate::DomainError;
use crate::i18n::K;
use crate::order::LeanSort;
use crate::sync::{RecordId, Registry};
use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::BTreeMap;

/// A month as "YYYY-MM".
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Month {
    pub year: i32,
    pub month: u32,
}

impl Month {
    pub fn of(d: NaiveDate) -> Self {
        Month { year: d.year(), month: d.month() }
    }
    pub fn parse(s: &str) -> Option<Self> {
        let (y, m) = s.trim().split_once('-')?;
        let (year, month) = (y.parse().ok()?, m.parse().ok()?);
        (1..=12).contains(&month).then_some(Month { year, month })
    }
    pub fn code(self) -> String {
        format!("{:04}-{:02}", self.year, self.month)
    }
    pub fn first(self) -> NaiveDate {
        NaiveDate::from_ymd_opt(self.year, self.month, 1).expect("valid month")
    }
    pub fn last(self) -> NaiveDate {
        super::scoring::month_end(self.year, self.month).expect("valid month")
    }
    pub fn prev(self) -> Self {
        if self.month == 1 {
            Month { year: self.year - 1, month: 12 }
        } else {
            Month { year: self.year, month: self.month - 1 }
        }
    }
    /// The day a month is judged on: today while it runs, its last day once it is over.
    pub fn judged_on(self, today: NaiveDate) -> NaiveDate {
        if Month::of(today) == self {
            today
        } else {
            self.last()
        }
    }
}

// ---- Dispatch: progress reports ----

/// One item's progress report for one month (id: item/YYYY-MM). A correction rewrites its fields;
/// the replaced text stays in the change history.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Report {
    pub item: String,
    pub month: String,
    /// Percent complete (0–100), if reported that way.
    pub percent: Option<f64>,
    /// The milestone reached this month, if any.
    pub milestone: String,
    pub done: String,
    pub problems: String,
    pub next_steps: String,
    pub reported_by: String,
    pub reported_on: Option<NaiveDate>,
}

pub fn report_id(item: &str, m: Month) -> String {
    format!("{item}/{}", m.code())
}

pub fn report_for(reg: &Registry, item: &str, m: Month) -> Option<Report> {
    super::model::typed_live(reg, &report_id(item, m))
}

/// Whether the item's report for the month is filed (and not withdrawn), without reading it: a
/// city's 10,000 items are checked each time 督察督办 opens.
pub fn has_report(reg: &Registry, item: &str, m: Month) -> bool {
    let id = report_id(item, m);
    // Text kept as stored is never that of a deleted record (`Records::cold_text`).
    reg.records.cold_text(&id).is_some() || reg.get_live(&id).is_some()
}

/// Every report filed for an item, newest month first (the item page's 工作记录).
pub fn reports_of(reg: &Registry, item: &str) -> Vec<Report> {
    // Report ids are `item/YYYY-MM`: the item's records sit together in the id order, so only
    // they are read (not every report of the registry).
    let prefix = format!("{item}/");
    let mut v: Vec<Report> =
        reg.records.with_prefix(&prefix).filter(|r| r.coll == coll::REPORT && !r.is_deleted()).map(from_record::<Report>).filter(|r| r.item == item).collect();
    v.lean_sort_by(|a, b| b.month.cmp(&a.month));
    v
}

/// Every notice that names the item, newest first, with its reply.
pub fn notices_of(reg: &Registry, item: &str) -> Vec<(RecordId, Notice)> {
    all_notices(reg).into_iter().filter(|(_, n)| n.items.iter().any(|i| i == item)).collect()
}

fn check_report(r: &Report, m: Month, today: NaiveDate) -> Result<(), DomainError> {
    if m > Month::of(today) {
        return Err(DomainError::new(K::ErrFutureMonth).arg(m.code()).at("month"));
    }
    if let Some(p) = r.percent {
        if !p.is_finite() || !(0.0..=100.0).contains(&p) {
            return Err(DomainError::new(K::ErrPercent).at("percent"));
        }
    }
    if r.percent.is_none() && r.milestone.trim().is_empty() && r.done.trim().is_empty() {
        return Err(DomainError::new(K::ErrEmptyReport).at("done"));
    }
    Ok(())
}

/// Files the month's report. A second report for the same month is refused: use `correct_report`.
pub fn file_report(tx: &mut Tx, item: &str, m: Month, r: &Report) -> Result<(), DomainError> {
    live_in::<ReformItem>(tx.reg(), coll::ITEM, item)?;
    let id = report_id(item, m);
    if tx.reg().get_live(&id).is_some() {
        return Err(DomainError::new(K::ErrReportExists).arg(m.code()).at("month"));
    }
    let today = tx.today();
    check_report(r, m, today)?;
    let mut r = r.clone();
    r.item = item.into();
    r.month = m.code();
    r.reported_on.get_or_insert(today);
    // Fields left empty are not written: they read back as empty (the type's default), and a
    // city's 120,000 reports no longer each hold a register for every blank box. A later
    // correction writes them like any other change.
    tx.write(coll::REPORT, &id, super::model::to_writes(Some(&Report::default()), &r))?;
    Ok(())
}

/// Corrects an existing report: only changed fields are written, the old text stays in history.
/// Returns whether anything changed.
pub fn correct_report(tx: &mut Tx, item: &str, m: Month, r: &Report) -> Result<bool, DomainError> {
    let id = report_id(item, m);
    let old = report_for(tx.reg(), item, m).ok_or_else(|| DomainError::new(K::ErrNoSuchRecord).arg(&id))?;
    check_report(r, m, tx.today())?;
    let mut r = r.clone();
    r.item = old.item.clone();
    r.month = old.month.clone();
    r.reported_on = old.reported_on;
    tx.write(coll::REPORT, &id, super::model::to_writes(Some(&old), &r))
}

// ---- Each item's colour for the month ----

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum MonthStatus {
    Overdue,
    NoReport,
    AtRisk,
    OnSchedule,
    Done,
    /// Not yet approved: no report is due.
    NotStarted,
    /// Waiting for upper deployment: left out of every rate.
    Waiting,
    /// Suspended or terminated.
    Stopped,
}

impl MonthStatus {
    pub fn label(self) -> K {
        match self {
            MonthStatus::Overdue => K::MsOverdue,
            MonthStatus::NoReport => K::MsNoReport,
            MonthStatus::AtRisk => K::MsAtRisk,
            MonthStatus::OnSchedule => K::MsOnSchedule,
            MonthStatus::Done => K::MsDone,
            MonthStatus::NotStarted => K::MsNotStarted,
            MonthStatus::Waiting => K::MsWaiting,
            MonthStatus::Stopped => K::MsStopped,
        }
    }
}

/// The status of an item for month `m`, judged on `on` (today for the running month).
/// Order of the rules: overdue, then no report, then at risk, then on schedule.
pub fn month_status(item: &ReformItem, reported: bool, on: NaiveDate, risk_days: i64) -> MonthStatus {
    match item.status {
        Status::AwaitingDeployment => return MonthStatus::Waiting,
        Status::Suspended | Status::Terminated => return MonthStatus::Stopped,
        Status::Completed | Status::Accepted => return MonthStatus::Done,
        Status::Proposed | Status::RiskReviewed => return MonthStatus::NotStarted,
        Status::Approved | Status::InProgress => {}
    }
    if figures::is_overdue(item, on) {
        return MonthStatus::Overdue;
    }
    if !reported {
        return MonthStatus::NoReport;
    }
    if figures::near_deadline(item, on, risk_days) {
        return MonthStatus::AtRisk;
    }
    MonthStatus::OnSchedule
}

/// One row of the dispatch screen.
#[derive(Clone, Debug, PartialEq)]
pub struct DispatchRow {
    pub id: RecordId,
    pub item: ReformItem,
    pub report: Option<Report>,
    pub status: MonthStatus,
}

pub fn dispatch_rows(reg: &Registry, m: Month, today: NaiveDate, risk_days: i64) -> Vec<DispatchRow> {
    let on = m.judged_on(today);
    let mut rows: Vec<DispatchRow> = ops::all::<ReformItem>(reg, coll::ITEM)
        .into_iter()
        .map(|(id, item)| {
            let report = report_for(reg, &id, m);
            let status = month_status(&item, report.is_some(), on, risk_days);
            DispatchRow { id, item, report, status }
        })
        .collect();
    rows.lean_sort_by(|a, b| (a.status, &a.item.lead_unit, &a.item.title).cmp(&(b.status, &b.item.lead_unit, &b.item.title)));
    rows
}

/// The filters of the dispatch screen (the monthly counterpart of the list's `ops::ItemQuery`).
/// Empty text means "any"; items not yet approved and stopped items are never listed.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct DispatchQuery {
    /// Lead unit (exact name).
    pub unit: String,
    /// Special group (record id).
    pub group: String,
    /// Leading official (exact name).
    pub official: String,
    /// Only items that owe this month's report and have not filed it.
    pub only_missing: bool,
}

impl DispatchQuery {
    pub fn matches(&self, row: &DispatchRow) -> bool {
        let i = &row.item;
        row.status != MonthStatus::NotStarted
            && row.status != MonthStatus::Stopped
            && (self.unit.is_empty() || i.lead_unit == self.unit)
            && (self.group.is_empty() || i.special_group == self.group)
            && (self.official.is_empty() || i.leading_official == self.official)
            && (!self.only_missing || (figures::owes_report(i) && row.report.is_none()))
    }
}

/// The rows the dispatch screen shows, as indexes into `rows` (their order is kept).
pub fn dispatch_query(rows: &[DispatchRow], q: &DispatchQuery) -> Vec<usize> {
    (0..rows.len()).filter(|&n| q.matches(&rows[n])).collect()
}

// ---- Escalation ladder ----

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NoticeKind {
    /// 提示单
    Reminder,
    /// 交办单
    Assignment,
    /// 催办单
    Urging,
    /// 责令书
    Order,
}

impl NoticeKind {
    pub const ALL: &'static [NoticeKind] = &[NoticeKind::Reminder, NoticeKind::Assignment, NoticeKind::Urging, NoticeKind::Order];
    pub fn label(self) -> K {
        match self {
            NoticeKind::Reminder => K::NkReminder,
            NoticeKind::Assignment => K::NkAssignment,
            NoticeKind::Urging => K::NkUrging,
            NoticeKind::Order => K::NkOrder,
        }
    }
}

/// When each rung of the ladder is proposed. All in days; all configurable.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Rules {
    /// Deadline within this many days → 提示单.
    pub reminder_days: i64,
    /// "At risk" window for the month's colour.
    pub risk_days: i64,
    /// Overdue longer than this → 责令书.
    pub order_overdue_days: i64,
    /// An urging notice unanswered this long → 责令书.
    pub urging_unanswered_days: i64,
    /// Last place in the ranking this many months running → 责令书 to the unit.
    pub last_place_months: i64,
    /// Serial number pattern: {year} and {n}, e.g. 平改办督〔{year}〕{n}号.
    pub serial_pattern: String,
    /// The monthly bulletin's 文号 pattern, e.g. 平改办通〔{year}〕{n}号.
    pub bulletin_pattern: String,
}

impl Default for Rules {
    fn default() -> Self {
        Rules {
            reminder_days: 7,
            risk_days: 15,
            order_overdue_days: 30,
            urging_unanswered_days: 15,
            last_place_months: 2,
            serial_pattern: "改革办督〔{year}〕{n}号".into(),
            bulletin_pattern: "改革办通〔{year}〕{n}号".into(),
        }
    }
}

pub fn validate_rules(r: &Rules) -> Result<(), DomainError> {
    for (v, f) in [
        (r.reminder_days, "reminder_days"),
        (r.risk_days, "risk_days"),
        (r.order_overdue_days, "order_overdue_days"),
        (r.urging_unanswered_days, "urging_unanswered_days"),
        (r.last_place_months, "last_place_months"),
    ] {
        if !(0..=3650).contains(&v) {
            return Err(DomainError::new(K::ErrNegativeDays).at(f));
        }
    }
    if !r.serial_pattern.contains("{n}") {
        return Err(DomainError::new(K::ErrSerialPattern).at("serial_pattern"));
    }
    if !r.bulletin_pattern.contains("{n}") {
        return Err(DomainError::new(K::ErrSerialPattern).at("bulletin_pattern"));
    }
    Ok(())
}

/// The rules are kept on this office's own record (field `rules`), so they survive and travel.
pub fn rules(reg: &Registry) -> Rules {
    reg.get_live(reg.office()).and_then(|r| r.value("rules")).and_then(|v| serde_json::from_value(v.clone()).ok()).unwrap_or_default()
}

pub fn save_rules(tx: &mut Tx, r: &Rules) -> Result<(), DomainError> {
    validate_rules(r)?;
    let me = tx.reg().office().to_string();
    tx.set(coll::OFFICE, &me, "rules", serde_json::to_value(r).expect("rules"))?;
    Ok(())
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Correction {
    pub on: Option<NaiveDate>,
    pub text: String,
    pub by: String,
}

/// A supervision notice (督办通知). Once issued, only the reply and corrections can be added.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Notice {
    pub kind: NoticeKind,
    pub year: i32,
    pub serial: u32,
    /// The 文号 as printed.
    pub number: String,
    /// 主送: the unit addressed.
    pub unit: String,
    /// The 上级文件 a 交办单 hands down (淄博: 中央/省 documents are handed to units this way).
    pub source_doc: String,
    pub items: Vec<String>,
    pub requirement: String,
    pub issued_on: Option<NaiveDate>,
    pub reply_by: Option<NaiveDate>,
    pub reply: String,
    pub replied_on: Option<NaiveDate>,
    pub corrections: Vec<Correction>,
}

impl Default for Notice {
    fn default() -> Self {
        Notice {
            kind: NoticeKind::Reminder,
            year: 2000,
            serial: 0,
            number: String::new(),
            unit: String::new(),
            source_doc: String::new(),
            items: vec![],
            requirement: String::new(),
            issued_on: None,
            reply_by: None,
            reply: String::new(),
            replied_on: None,
            corrections: vec![],
        }
    }
}

/// Where a notice stands with its reply.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum NoticeState {
    Replied,
    /// Past its reply-by date without a reply.
    Late,
    Waiting,
}

impl NoticeState {
    pub fn label(self) -> K {
        match self {
            NoticeState::Replied => K::SvReplied,
            NoticeState::Late => K::SvLate,
            NoticeState::Waiting => K::SvWaiting,
        }
    }
}

impl Notice {
    /// Replied, late (the reply-by day has passed: on that day itself it is not yet late), or waiting.
    pub fn state(&self, today: NaiveDate) -> NoticeState {
        if self.replied_on.is_some() {
            NoticeState::Replied
        } else if self.reply_by.is_some_and(|d| d < today) {
            NoticeState::Late
        } else {
            NoticeState::Waiting
        }
    }
}

/// Notices issued by this office in a year, by serial.
pub fn my_notices(reg: &Registry, year: i32) -> Vec<(RecordId, Notice)> {
    let mut v: Vec<(RecordId, Notice)> = reg
        .live(coll::NOTICE)
        // Record ids are the dot of the creating change: "<author>:<seq>", an author of this office.
        .filter(|r| super::ownership::owner(&r.id) == reg.office())
        .map(|r| (r.id.clone(), from_record::<Notice>(r)))
        .filter(|(_, n)| n.year == year)
        .collect();
    v.lean_sort_by_key(|(_, n)| n.serial);
    v
}

pub fn all_notices(reg: &Registry) -> Vec<(RecordId, Notice)> {
    let mut v: Vec<(RecordId, Notice)> = ops::all(reg, coll::NOTICE);
    // Newest first.
    v.lean_sort_by_key(|(_, n)| std::cmp::Reverse((n.issued_on, n.serial)));
    v
}

/// The next serial number: one more than the highest this office issued that year. Notices are
/// never deleted, so numbers have no gaps and cannot repeat.
pub fn next_serial(reg: &Registry, year: i32) -> u32 {
    my_notices(reg, year).iter().map(|(_, n)| n.serial).max().unwrap_or(0) + 1
}

pub fn format_serial(pattern: &str, year: i32, n: u32) -> String {
    pattern.replace("{year}", &year.to_string()).replace("{n}", &n.to_string())
}

/// A notice as a person writes it before it is issued: proposed by the ladder, or by hand.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct NoticeDraft {
    pub kind: Option<NoticeKind>,
    pub unit: String,
    pub items: Vec<String>,
    pub requirement: String,
    pub reply_by: Option<NaiveDate>,
    pub source_doc: String,
}

/// Issues a notice: assigns its 文号 and records it. Nothing is issued without this call.
pub fn issue_notice(
    tx: &mut Tx,
    kind: NoticeKind,
    unit: &str,
    items: &[String],
    requirement: &str,
    reply_by: Option<NaiveDate>,
) -> Result<RecordId, DomainError> {
    issue(tx, &NoticeDraft { kind: Some(kind), unit: unit.into(), items: items.to_vec(), requirement: requirement.into(), reply_by, source_doc: String::new() })
}

/// Issues any notice by hand or from a proposal. The addressee must be a unit on file (or a
/// former name of one, written as its current name); the items named must exist; a 交办单
/// names the 上级文件 it hands down and a reply-by date.
pub fn issue(tx: &mut Tx, d: &NoticeDraft) -> Result<RecordId, DomainError> {
    let (unit, items, requirement, reply_by) = (&d.unit, &d.items, &d.requirement, d.reply_by);
    let kind = d.kind.ok_or_else(|| DomainError::new(K::ErrRequired).arg_key(K::SvKind).at("kind"))?;
    let today = tx.today();
    if unit.trim().is_empty() {
        return Err(DomainError::new(K::ErrRequired).arg_key(K::FAddressee).at("unit"));
    }
    if requirement.trim().is_empty() {
        return Err(DomainError::new(K::ErrRequired).arg_key(K::FRequirement).at("requirement"));
    }
    for i in items {
        live_in::<ReformItem>(tx.reg(), coll::ITEM, i)?;
    }
    if reply_by.is_some_and(|d| d < today) {
        return Err(DomainError::new(K::ErrReplyByPast).at("reply_by"));
    }
    if kind == NoticeKind::Assignment {
        if d.source_doc.trim().is_empty() {
            return Err(DomainError::new(K::ErrRequired).arg_key(K::FSourceDoc).at("source_doc"));
        }
        if reply_by.is_none() {
            return Err(DomainError::new(K::ErrRequired).arg_key(K::FReplyBy).at("reply_by"));
        }
    }
    let dir = tx.directory();
    let unit = &match dir.unit(unit) {
        Some(e) if e.retired => return Err(DomainError::new(K::ErrOrgRetired).arg(&e.name).at("unit")),
        Some(e) => e.name.clone(),
        // A unit not on file is addressed only as the items concerned name it (older items).
        None => {
            let named = !items.is_empty()
                && items.iter().all(|i| {
                    tx.reg()
                        .get_live(i)
                        .map(from_record::<ReformItem>)
                        .is_some_and(|it| it.lead_unit.trim() == unit.trim() || it.coop_units.iter().any(|c| c.trim() == unit.trim()))
                });
            if !named {
                return Err(DomainError::new(K::ErrOrgUnknown).arg(unit.trim()).at("unit"));
            }
            unit.trim().to_string()
        }
    };
    let year = today.year();
    let serial = next_serial(tx.reg(), year);
    let n = Notice {
        kind,
        year,
        serial,
        number: format_serial(&rules(tx.reg()).serial_pattern, year, serial),
        unit: unit.trim().into(),
        source_doc: d.source_doc.trim().into(),
        items: items.to_vec(),
        requirement: requirement.trim().into(),
        issued_on: Some(today),
        reply_by,
        ..Default::default()
    };
    let id = tx.new_id();
    tx.write(coll::NOTICE, &id, super::model::to_writes(None, &n))?;
    Ok(id)
}

/// Records the reply to a notice. A reply dated before the notice was issued is refused.
pub fn record_reply(tx: &mut Tx, id: &str, reply: &str, on: NaiveDate) -> Result<(), DomainError> {
    let n: Notice = live_in(tx.reg(), coll::NOTICE, id)?;
    if n.issued_on.is_some_and(|d| on < d) {
        return Err(DomainError::new(K::ErrReplyBeforeIssue).at("replied_on"));
    }
    if on > tx.today() {
        return Err(DomainError::new(K::ErrFutureMonth).arg(on.to_string()).at("replied_on"));
    }
    if reply.trim().is_empty() {
        return Err(DomainError::new(K::ErrRequired).arg_key(K::FReply).at("reply"));
    }
    tx.write(coll::NOTICE, id, vec![("reply".into(), Value::String(reply.trim().into())), ("replied_on".into(), serde_json::to_value(on).expect("date"))])?;
    Ok(())
}

/// Issued notices are not edited; a correction is appended and printed with the notice.
pub fn add_correction(tx: &mut Tx, id: &str, text: &str) -> Result<(), DomainError> {
    let n: Notice = live_in(tx.reg(), coll::NOTICE, id)?;
    if text.trim().is_empty() {
        return Err(DomainError::new(K::ErrRequired).arg_key(K::FCorrection).at("correction"));
    }
    let mut list = n.corrections;
    list.push(Correction { on: Some(tx.today()), text: text.trim().into(), by: tx.by().into() });
    tx.set(coll::NOTICE, id, "corrections", serde_json::to_value(list).expect("list"))?;
    Ok(())
}

/// A proposed notice, for a person to review and issue (never issued silently). One notice
/// goes to a unit for all its items that meet the same rung for the same reason (a city's
/// thousands of one-item proposals become one per unit and rule).
#[derive(Clone, Debug, PartialEq)]
pub struct Proposal {
    pub kind: NoticeKind,
    pub unit: String,
    /// The items, the most pressing first.
    pub items: Vec<RecordId>,
    pub reason: K,
    /// The reason's figure for the most pressing item (days, month, 上级文件).
    pub reason_arg: String,
    /// The reason's figure for each item, in the order of `items`.
    pub item_args: Vec<String>,
    /// For a 交办单: the 上级文件 it hands down.
    pub source_doc: String,
}

impl Proposal {
    fn one(kind: NoticeKind, unit: &str, item: Option<&RecordId>, reason: K, arg: String, source_doc: String) -> Proposal {
        let items: Vec<RecordId> = item.into_iter().cloned().collect();
        let item_args = items.iter().map(|_| arg.clone()).collect();
        Proposal { kind, unit: unit.to_string(), items, reason, reason_arg: arg, item_args, source_doc }
    }
}

/// Merges one-item proposals of the same unit, rung, reason and 上级文件 into one, items
/// ordered most pressing first (most days late or unanswered; fewest days to the deadline).
fn group_proposals(single: Vec<Proposal>) -> Vec<Proposal> {
    // Keyed by the reason's place in the catalogue (K has no order of its own).
    type Key = (std::cmp::Reverse<NoticeKind>, String, usize, String);
    let mut groups: BTreeMap<Key, (K, Vec<(String, RecordId)>)> = BTreeMap::new();
    let mut unit_level = vec![];
    for p in single {
        let Some(item) = p.items.into_iter().next() else {
            unit_level.push(Proposal { items: vec![], item_args: vec![], ..p });
            continue;
        };
        let key = (std::cmp::Reverse(p.kind), p.unit, p.reason as usize, p.source_doc);
        groups.entry(key).or_insert_with(|| (p.reason, vec![])).1.push((p.reason_arg, item));
    }
    let days = |a: &str| a.parse::<i64>().unwrap_or(0);
    let mut out: Vec<Proposal> = groups
        .into_iter()
        .map(|((kind, unit, _, source_doc), (reason, mut members))| {
            match reason {
                K::RsDeadlineNear => members.lean_sort_by(|a, b| (days(&a.0), &a.1).cmp(&(days(&b.0), &b.1))),
                _ => members.lean_sort_by(|a, b| (days(&b.0), &a.1).cmp(&(days(&a.0), &b.1))),
            }
            let (item_args, items): (Vec<String>, Vec<RecordId>) = members.into_iter().unzip();
            Proposal { kind: kind.0, unit, reason, reason_arg: item_args[0].clone(), items, item_args, source_doc }
        })
        .collect();
    out.extend(unit_level);
    out.lean_sort_by(|a, b| (b.kind, &a.unit).cmp(&(a.kind, &b.unit)));
    out
}

/// Proposes the next rung for each item (and for units last in the ranking several months).
/// Items that already got a notice of that kind or higher this month are skipped.
pub fn proposals(reg: &Registry, today: NaiveDate, r: &Rules, last_place: &BTreeMap<String, i64>) -> Vec<Proposal> {
    let m = Month::of(today);
    let notices = all_notices(reg);
    // What the notices say of each item, read once (a city has thousands of items and notices):
    // the highest rung issued this month, whether a 交办单 handed it down, and the days since
    // the oldest unanswered 催办单.
    let mut this_month: BTreeMap<&str, NoticeKind> = BTreeMap::new();
    let mut handed_down: std::collections::BTreeSet<&str> = Default::default();
    let mut unanswered_days: BTreeMap<&str, i64> = BTreeMap::new();
    for (_, n) in &notices {
        for i in &n.items {
            if n.issued_on.is_some_and(|d| Month::of(d) == m) {
                let k = this_month.entry(i).or_insert(n.kind);
                *k = (*k).max(n.kind);
            }
            if n.kind == NoticeKind::Assignment {
                handed_down.insert(i);
            }
            if let (NoticeKind::Urging, None, Some(d)) = (n.kind, &n.replied_on, n.issued_on) {
                let days = unanswered_days.entry(i).or_insert(i64::MIN);
                *days = (*days).max((today - d).num_days());
            }
        }
    }
    let already = |item: &str, kind: NoticeKind| this_month.get(item).is_some_and(|k| *k >= kind);
    let mut out = vec![];
    for (id, item) in ops::all_shared::<ReformItem>(reg, coll::ITEM).iter() {
        if !figures::underway(item.status) {
            continue;
        }
        // 交办单 (淄博): a 规定动作 handed down by the centre or the province, once approved, is
        // handed to its lead unit with the 上级文件 — once per item.
        let handed = handed_down.contains(id.as_str());
        if item.kind == super::model::ItemKind::Mandated
            && matches!(item.source_level, Some(super::model::SourceLevel::Central | super::model::SourceLevel::Province))
            && !handed
            && super::ownership::owner(id) == reg.office()
        {
            out.push(Proposal::one(NoticeKind::Assignment, &item.lead_unit, Some(id), K::RsHandDown, item.source_doc.clone(), item.source_doc.clone()));
        }
        // Days late by the deadline or a milestone (the one definition of 逾期); otherwise minus
        // the days left until the deadline.
        let overdue_days = figures::days_late(item, today).or_else(|| item.deadline.map(|d| (today - d).num_days())).unwrap_or(i64::MIN);
        let unanswered = unanswered_days.get(id.as_str()).copied();
        let reported = has_report(reg, id, m);
        let (kind, reason, arg) = if overdue_days > r.order_overdue_days {
            (NoticeKind::Order, K::RsOverdueLong, overdue_days.to_string())
        } else if unanswered.is_some_and(|d| d > r.urging_unanswered_days) {
            (NoticeKind::Order, K::RsUnanswered, unanswered.unwrap_or(0).to_string())
        } else if overdue_days > 0 {
            (NoticeKind::Urging, K::RsOverdue, overdue_days.to_string())
        } else if !reported && today.day() > 20 {
            // The month's report is due by the 20th (a common 调度 deadline).
            (NoticeKind::Urging, K::RsNoReport, m.code())
        } else if overdue_days >= -r.reminder_days && overdue_days <= 0 {
            (NoticeKind::Reminder, K::RsDeadlineNear, (-overdue_days).to_string())
        } else {
            continue;
        };
        if !already(id, kind) {
            out.push(Proposal::one(kind, &item.lead_unit, Some(id), reason, arg, String::new()));
        }
    }
    for (unit, months) in last_place {
        if *months >= r.last_place_months
            && r.last_place_months > 0
            && !notices
                .iter()
                .any(|(_, n)| &n.unit == unit && n.kind == NoticeKind::Order && n.items.is_empty() && n.issued_on.is_some_and(|d| Month::of(d) == m))
        {
            out.push(Proposal::one(NoticeKind::Order, unit, None, K::RsLastPlace, months.to_string(), String::new()));
        }
    }
    group_proposals(out)
}

// ---- Supervision visits ----

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Visit {
    pub date: Option<NaiveDate>,
    pub unit: String,
    pub items: Vec<String>,
    pub findings: String,
    pub follow_up: String,
}

pub fn save_visit(tx: &mut Tx, v: &Visit) -> Result<RecordId, DomainError> {
    if v.unit.trim().is_empty() {
        return Err(DomainError::new(K::ErrRequired).arg_key(K::FUnitName).at("unit"));
    }
    match v.date {
        None => return Err(DomainError::new(K::ErrRequired).arg_key(K::FVisitDate).at("date")),
        Some(d) if d > tx.today() => return Err(DomainError::new(K::ErrFutureMonth).arg(d.to_string()).at("date")),
        _ => {}
    }
    let id = tx.new_id();
    tx.write(coll::VISIT, &id, super::model::to_writes(None, v))?;
    Ok(id)
}

// ---- Bulletin and dashboard figures ----

/// The month's figures as the dashboard and the bulletin show them (and as a publication freezes them).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct MonthSummary {
    pub by_status: BTreeMap<MonthStatus, usize>,
    pub newly_completed: Vec<String>,
    /// unit → overdue item titles, most overdue units first.
    pub overdue_by_unit: Vec<(String, Vec<String>)>,
    /// unit → titles of items whose report for the month is missing (未报), most first.
    pub missing_by_unit: Vec<(String, Vec<String>)>,
    /// 应报 / 已报 / 未报.
    pub reporting: figures::Reporting,
    pub notices: Vec<(RecordId, Notice)>,
}

fn by_unit(m: BTreeMap<String, Vec<String>>) -> Vec<(String, Vec<String>)> {
    let mut v: Vec<(String, Vec<String>)> = m.into_iter().collect();
    v.lean_sort_by(|a, b| b.1.len().cmp(&a.1.len()).then_with(|| a.0.cmp(&b.0)));
    v
}

pub fn summary(reg: &Registry, m: Month, today: NaiveDate, risk_days: i64) -> MonthSummary {
    summary_of_rows(reg, m, &dispatch_rows(reg, m, today, risk_days))
}

/// `summary` from the month's dispatch rows already made (the screens share one set).
pub fn summary_of_rows(reg: &Registry, m: Month, rows: &[DispatchRow]) -> MonthSummary {
    let mut s = MonthSummary::default();
    let (mut overdue, mut missing): (BTreeMap<String, Vec<String>>, BTreeMap<String, Vec<String>>) = Default::default();
    for r in rows {
        *s.by_status.entry(r.status).or_default() += 1;
        if r.status == MonthStatus::Overdue {
            overdue.entry(r.item.lead_unit.clone()).or_default().push(r.item.title.clone());
        }
        if figures::owes_report(&r.item) && r.report.is_none() {
            missing.entry(r.item.lead_unit.clone()).or_default().push(r.item.title.clone());
        }
    }
    s.reporting = figures::reporting(rows.iter().map(|r| (&r.item, r.report.is_some())));
    // Newly completed: the status became completed during the month.
    for (id, item) in ops::all_shared::<ReformItem>(reg, coll::ITEM).iter() {
        if item.status.is_done() {
            // Read without keeping the item parsed (start-up keeps items as text).
            let mut when = 0;
            reg.records.visit(id, |r| when = r.fields.get("status").and_then(|f| f.winner()).map(|e| e.wall).unwrap_or(0));
            let (from, to) = (
                m.first().and_hms_opt(0, 0, 0).expect("t").and_utc().timestamp_millis(),
                m.last().and_hms_opt(23, 59, 59).expect("t").and_utc().timestamp_millis(),
            );
            if (from..=to).contains(&when) {
                s.newly_completed.push(item.title.clone());
            }
        }
    }
    s.overdue_by_unit = by_unit(overdue);
    s.missing_by_unit = by_unit(missing);
    s.notices = all_notices(reg).into_iter().filter(|(_, n)| n.issued_on.is_some_and(|d| Month::of(d) == m)).collect();
    s
}

#[cfg(test)]
mod tests;
