//! The figures an office publishes, each defined once. The registry list, the dashboard, dispatch,
//! the escalation rules, the bulletin and scoring all call these functions, so a count shown on
//! one screen is the same number on every other screen and in print.
//!
//! - 推进中 (underway): approved or in progress. Only underway items owe a monthly report and only
//!   they can be overdue; items not yet approved, waiting for upper deployment, suspended,
//!   terminated or finished owe nothing.
//! - 逾期 (overdue): underway, and the deadline or an unfinished milestone's due day has passed.
//!   The due day itself is not yet overdue.
//! - 临近时限 (near the deadline): underway, not overdue, and the deadline or an unfinished
//!   milestone falls within the next `window` days.
//! - 应报 / 已报 / 未报 for a month: underway items / those with the month's report / those without.
//! - 按期推进率: underway items not overdue ÷ underway items (1 when there are none).
//! - 完成率: finished items ÷ items, leaving out items waiting for upper deployment and terminated ones.

use super::model::{Milestone, ReformItem, Status};
use chrono::NaiveDate;

/// Approved or in progress: the item is being carried out and owes progress.
pub fn underway(s: Status) -> bool {
    matches!(s, Status::Approved | Status::InProgress)
}

/// Days past the item's own deadline on `on` (None when it is not overdue by its deadline).
pub fn deadline_late(item: &ReformItem, on: NaiveDate) -> Option<i64> {
    let d = item.deadline?;
    (underway(item.status) && d < on).then(|| (on - d).num_days())
}

/// Unfinished milestones past their due day on `on`, with the days late.
pub fn late_milestones(item: &ReformItem, on: NaiveDate) -> Vec<(&Milestone, i64)> {
    if !underway(item.status) {
        return vec![];
    }
    item.milestones.iter().filter(|m| !m.done).filter_map(|m| m.due.filter(|d| *d < on).map(|d| (m, (on - d).num_days()))).collect()
}

/// 逾期: by the deadline or by a milestone.
pub fn is_overdue(item: &ReformItem, on: NaiveDate) -> bool {
    deadline_late(item, on).is_some() || !late_milestones(item, on).is_empty()
}

/// The most days the item is late by, deadline or milestone (None when not overdue).
pub fn days_late(item: &ReformItem, on: NaiveDate) -> Option<i64> {
    late_milestones(item, on).into_iter().map(|(_, n)| n).chain(deadline_late(item, on)).max()
}

/// 临近时限: underway, not overdue, the deadline or an unfinished milestone within `window` days.
pub fn near_deadline(item: &ReformItem, on: NaiveDate, window: i64) -> bool {
    if !underway(item.status) || is_overdue(item, on) {
        return false;
    }
    let near = |d: NaiveDate| (0..=window).contains(&(d - on).num_days());
    item.deadline.is_some_and(near) || item.milestones.iter().any(|m| !m.done && m.due.is_some_and(near))
}

/// Days left until the deadline (negative when past), for display next to the date.
pub fn days_left(item: &ReformItem, on: NaiveDate) -> Option<i64> {
    item.deadline.map(|d| (d - on).num_days())
}

/// Whether the item owes a monthly progress report (应报).
pub fn owes_report(item: &ReformItem) -> bool {
    underway(item.status)
}

/// 应报 / 已报 / 未报 for one month, from (item, reported?) pairs.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Reporting {
    pub due: usize,
    pub filed: usize,
    pub missing: usize,
}

pub fn reporting<'a>(items: impl IntoIterator<Item = (&'a ReformItem, bool)>) -> Reporting {
    let mut r = Reporting::default();
    for (i, filed) in items {
        if owes_report(i) {
            r.due += 1;
            if filed {
                r.filed += 1;
            } else {
                r.missing += 1;
            }
        }
    }
    r
}

/// 按期推进率 over some items: (rate, items counted).
pub fn on_schedule_rate<'a>(items: impl IntoIterator<Item = &'a ReformItem>, on: NaiveDate) -> (f64, Vec<&'a ReformItem>) {
    let counted: Vec<&ReformItem> = items.into_iter().filter(|i| underway(i.status)).collect();
    if counted.is_empty() {
        return (1.0, counted);
    }
    let good = counted.iter().filter(|i| !is_overdue(i, on)).count();
    (good as f64 / counted.len() as f64, counted)
}

/// 完成率 over some items: (rate, items counted).
pub fn completion_rate<'a>(items: impl IntoIterator<Item = &'a ReformItem>) -> (f64, Vec<&'a ReformItem>) {
    let counted: Vec<&ReformItem> = items.into_iter().filter(|i| !i.status.excluded_from_rates()).collect();
    if counted.is_empty() {
        return (1.0, counted);
    }
    let done = counted.iter().filter(|i| i.status.is_done()).count();
    (done as f64 / counted.len() as f64, counted)
}

#[cfg(test)]
mod tests;
