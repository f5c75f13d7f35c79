//! Scoring as stored in the registry: plans and monthly figures are ordinary records, so they
//! merge and travel in exchange bundles like everything else. Figures for one subject and month
//! live in one record with a deterministic id, so two offices entering the same month merge
//! field by field (and a real disagreement shows as a conflict).

use super::model::{coll, ReformItem};
use super::ops;
use super::scoring::{compute_month, input_record_id, round2, validate_plan, year_end, Cents, Input, MonthInputs, Plan, SubjectResult};
use super::tx::Tx;
use super::validate::DomainError;
use crate::i18n::K;
use crate::order::LeanSort;
use crate::sync::{RecordId, Registry};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::BTreeMap;

impl Default for Plan {
    fn default() -> Self {
        Plan { name: String::new(), year: 2000, subjects: vec![], indicators: vec![], monthly_share: 50.0, red_below: 60.0, green_from: 85.0 }
    }
}

pub fn plans(reg: &Registry) -> Vec<(RecordId, Plan)> {
    let mut v: Vec<(RecordId, Plan)> = ops::all(reg, coll::PLAN);
    v.lean_sort_by(|a, b| (b.1.year, &a.1.name).cmp(&(a.1.year, &b.1.name)));
    v
}

/// One version of a plan and the first month it applies to.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PlanVersion {
    pub from: u32,
    pub plan: Plan,
}

/// A plan's versions, oldest first. A plan never edited has one version, from January.
pub fn plan_versions(reg: &Registry, plan_id: &str) -> Vec<PlanVersion> {
    let Some(r) = reg.get_live(plan_id).filter(|r| r.coll == coll::PLAN) else { return vec![] };
    let mut v: Vec<PlanVersion> = r.value("versions").and_then(|v| serde_json::from_value(v.clone()).ok()).unwrap_or_default();
    if v.is_empty() {
        v.push(PlanVersion { from: 1, plan: super::model::from_record(r) });
    }
    v.lean_sort_by_key(|x| x.from);
    v
}

/// The version of the plan that scores `month`.
pub fn plan_for_month(reg: &Registry, plan_id: &str, month: u32) -> Option<Plan> {
    let v = plan_versions(reg, plan_id);
    v.iter().rev().find(|x| x.from <= month).or(v.first()).map(|x| x.plan.clone())
}

/// Creates a plan, or saves an edit that applies from month `from` on (earlier months keep the
/// version they were scored with; published months keep their frozen result in any case).
/// An edit that changes nothing records nothing.
pub fn save_plan(tx: &mut Tx, id: Option<&str>, plan: &Plan, from: u32) -> Result<RecordId, DomainError> {
    validate_plan(plan)?;
    let Some(id) = id else { return tx.save(coll::PLAN, None, plan) };
    if !(1..=12).contains(&from) {
        return Err(DomainError::new(K::ErrBadDate).arg(from).at("from"));
    }
    let mut versions = plan_versions(tx.reg(), id);
    if versions.is_empty() {
        return Err(DomainError::new(K::ErrNoSuchRecord).arg(id));
    }
    if versions.iter().any(|v| v.plan.year != plan.year) {
        return Err(DomainError::new(K::ErrPlanYearChange).at("year"));
    }
    versions.retain(|v| v.from < from);
    if versions.last().is_none_or(|v| v.plan != *plan) {
        versions.push(PlanVersion { from, plan: plan.clone() });
    }
    // The record's own fields hold the newest version (what older versions of the app read).
    let newest = versions.last().map(|v| v.plan.clone()).unwrap_or_else(|| plan.clone());
    let old: Plan = super::model::live_in(tx.reg(), coll::PLAN, id)?;
    let mut writes = super::model::to_writes(Some(&old), &newest);
    let before = tx.reg().get_live(id).and_then(|r| r.value("versions")).cloned();
    let after = serde_json::to_value(&versions).expect("versions");
    // A plan with a single version from January needs no list.
    let after = if versions.len() == 1 && versions[0].from == 1 { Value::Null } else { after };
    if before.unwrap_or(Value::Null) != after {
        writes.push(("versions".into(), after));
    }
    tx.write(coll::PLAN, id, writes)?;
    Ok(id.to_string())
}

/// The stored figures of one month.
pub fn month_inputs(reg: &Registry, plan_id: &str, plan: &Plan, month: u32) -> MonthInputs {
    let mut out = MonthInputs::new();
    for s in &plan.subjects {
        let Some(r) = reg.get_live(&input_record_id(plan_id, plan.year, month, &s.id)) else { continue };
        let m: BTreeMap<String, Input> = plan
            .indicators
            .iter()
            .filter_map(|d| r.value(&d.id).and_then(|v| serde_json::from_value::<Input>(v.clone()).ok()).map(|i| (d.id.clone(), i)))
            .collect();
        out.insert(s.id.clone(), m);
    }
    out
}

/// Stores one subject's figures for a month: one change holding only the figures that changed
/// (None clears a figure). Returns whether anything changed.
pub fn save_inputs(tx: &mut Tx, plan_id: &str, plan: &Plan, month: u32, subject: &str, figures: &BTreeMap<String, Option<Input>>) -> Result<bool, DomainError> {
    // The same check that would stop the month's ranking refuses the figure where it is typed.
    let subj = plan.subjects.iter().find(|s| s.id == subject).ok_or_else(|| DomainError::new(K::ErrNoSuchRecord).arg(subject).at("inputs"))?;
    for (ind, v) in figures {
        let def = plan.indicators.iter().find(|d| &d.id == ind).ok_or_else(|| DomainError::new(K::ErrNoSuchRecord).arg(ind).at("inputs"))?;
        if let Some(v) = v {
            super::scoring::check_input(def, subj, v)?;
        }
    }
    let id = input_record_id(plan_id, plan.year, month, subject);
    let mut writes: Vec<(String, Value)> =
        figures.iter().map(|(ind, v)| (ind.clone(), v.as_ref().map(|i| serde_json::to_value(i).expect("input")).unwrap_or(Value::Null))).collect();
    // Only figures that say something create the month's record (an all-empty grid row does not).
    if tx.reg().get_live(&id).is_none() {
        writes.retain(|(_, v)| !v.is_null());
        if writes.is_empty() {
            return Ok(false);
        }
        writes.push(("plan".into(), Value::String(plan_id.into())));
        writes.push(("month".into(), Value::String(format!("{:04}-{:02}", plan.year, month))));
        writes.push(("subject".into(), Value::String(subject.into())));
    }
    tx.write(coll::SCORE_INPUT, &id, writes)
}

/// A month scored with the plan version for that month and the figures as they stand now.
/// `prev` (the month before, for rank changes) is passed in.
fn compute_live(
    reg: &Registry,
    items: &[(String, ReformItem)],
    plan_id: &str,
    month: u32,
    prev: Option<&[SubjectResult]>,
) -> Result<Vec<SubjectResult>, Vec<DomainError>> {
    let plan = plan_for_month(reg, plan_id, month).ok_or_else(|| vec![DomainError::new(K::ErrNoSuchRecord).arg(plan_id)])?;
    let inputs = month_inputs(reg, plan_id, &plan, month);
    // Units are matched through 组织架构: an item that names a unit by a former name (a rename,
    // a merged duplicate, another office's spelling) counts for the unit the plan ranks.
    let dir = super::org::Directory::of(reg);
    let mut plan = plan;
    for s in plan.subjects.iter_mut() {
        s.name = dir.unit_name(&s.name);
    }
    let items: Vec<(String, ReformItem)> = items
        .iter()
        .map(|(id, i)| {
            let mut i = i.clone();
            i.lead_unit = dir.unit_name(&i.lead_unit);
            (id.clone(), i)
        })
        .collect();
    compute_month(&plan, &inputs, &items, month, prev)
}

/// The month's ranking as published (frozen), if it was published with this plan.
pub fn published_results(reg: &Registry, plan_id: &str, year: i32, month: u32) -> Option<Vec<SubjectResult>> {
    let m = super::monthly::Month { year, month };
    super::publish::publication(reg, m).filter(|p| p.plan == plan_id).map(|p| p.results)
}

/// The month before's ranking, for rank changes (published if it was, else computed live).
fn previous(reg: &Registry, items: &[(String, ReformItem)], plan_id: &str, year: i32, month: u32) -> Option<Vec<SubjectResult>> {
    if month <= 1 {
        return None;
    }
    published_results(reg, plan_id, year, month - 1).or_else(|| compute_live(reg, items, plan_id, month - 1, None).ok())
}

/// What the month would score now: the plan version for the month, today's figures. Publishing
/// and re-scoring freeze this; screens show `month_results`.
pub fn live_results(reg: &Registry, plan_id: &str, plan: &Plan, month: u32) -> Result<Vec<SubjectResult>, Vec<DomainError>> {
    let items: Vec<(String, ReformItem)> = ops::all(reg, coll::ITEM);
    let prev = previous(reg, &items, plan_id, plan.year, month);
    compute_live(reg, &items, plan_id, month, prev.as_deref())
}

/// The month's ranking as every screen and print shows it: the frozen result once the month is
/// published, otherwise what it scores now (with the rank change against the month before).
pub fn month_results(reg: &Registry, plan_id: &str, plan: &Plan, month: u32) -> Result<Vec<SubjectResult>, Vec<DomainError>> {
    match published_results(reg, plan_id, plan.year, month) {
        Some(r) => Ok(r),
        None => live_results(reg, plan_id, plan, month),
    }
}

/// Every month of the year with a ranking (published, or complete figures), in order (for
/// trends, the year-end result and streak rules).
pub fn year_results(reg: &Registry, plan_id: &str, plan: &Plan) -> Vec<(u32, Vec<SubjectResult>)> {
    let items: Vec<(String, ReformItem)> = ops::all(reg, coll::ITEM);
    let mut out: Vec<(u32, Vec<SubjectResult>)> = vec![];
    for m in 1..=12 {
        if let Some(r) = published_results(reg, plan_id, plan.year, m) {
            out.push((m, r));
            continue;
        }
        let prev = match out.last() {
            Some((pm, r)) if *pm == m - 1 => Some(r.clone()),
            _ => previous(reg, &items, plan_id, plan.year, m),
        };
        if let Ok(r) = compute_live(reg, &items, plan_id, m, prev.as_deref()) {
            out.push((m, r));
        }
    }
    out
}

/// For the escalation rule "last place N months running": months running each unit of the
/// newest plan has been last (units never last are left out).
pub fn last_place_streaks(reg: &Registry) -> BTreeMap<String, i64> {
    let Some((pid, plan)) = plans(reg).into_iter().next() else { return BTreeMap::new() };
    let months: Vec<Vec<SubjectResult>> = year_results(reg, &pid, &plan).into_iter().map(|(_, r)| r).collect();
    plan.subjects.iter().map(|s| (s.name.clone(), super::scoring::last_place_streak(&months, &s.id) as i64)).filter(|(_, n)| *n > 0).collect()
}

fn year_end_id(plan_id: &str, plan: &Plan, subject: &str) -> String {
    format!("{plan_id}/{:04}-year/{subject}", plan.year)
}

/// Stores a subject's year-end assessment score (0–100 plus bonus allowance).
pub fn save_year_end(tx: &mut Tx, plan_id: &str, plan: &Plan, subject: &str, score: f64) -> Result<bool, DomainError> {
    if !score.is_finite() || !(0.0..=200.0).contains(&score) {
        return Err(DomainError::new(K::ErrYearEndRange).arg(subject).at("year_end"));
    }
    let id = year_end_id(plan_id, plan, subject);
    let mut writes = vec![("year_end".to_string(), serde_json::json!(score))];
    if tx.reg().get_live(&id).is_none() {
        writes.push(("plan".into(), Value::String(plan_id.into())));
        writes.push(("subject".into(), Value::String(subject.into())));
    }
    tx.write(coll::SCORE_INPUT, &id, writes)
}

/// One subject's year: its monthly totals (published months frozen), their average, the year-end
/// assessment score if entered, the composite and its rank among subjects of the same table.
#[derive(Clone, Debug, PartialEq)]
pub struct YearLine {
    pub subject: String,
    pub name: String,
    pub is_group: bool,
    /// (month, total) for every month with a ranking.
    pub months: Vec<(u32, Cents)>,
    pub average: Option<Cents>,
    pub year_end: Option<f64>,
    pub composite: Option<Cents>,
    /// Competition rank by composite within units or within groups (None without a composite).
    pub rank: Option<usize>,
}

/// Per subject: its year line, ranked (units first, then groups, each by composite).
pub fn year_summary(reg: &Registry, plan_id: &str, plan: &Plan) -> Vec<YearLine> {
    let months = year_results(reg, plan_id, plan);
    let mut lines: Vec<YearLine> = plan
        .subjects
        .iter()
        .map(|s| {
            let series: Vec<(u32, Cents)> = months.iter().filter_map(|(m, rs)| rs.iter().find(|r| r.subject == s.id).map(|r| (*m, r.total))).collect();
            let totals: Vec<Cents> = series.iter().map(|(_, t)| *t).collect();
            let average = (!totals.is_empty()).then(|| round2(totals.iter().sum::<i64>() as f64 / totals.len() as f64 / 100.0));
            let ye = reg.get_live(&year_end_id(plan_id, plan, &s.id)).and_then(|r| r.value("year_end")).and_then(Value::as_f64);
            let composite = ye.filter(|_| !totals.is_empty()).map(|y| year_end(&totals, y, plan.monthly_share));
            let is_group = plan.subjects.iter().any(|x| x.group.as_deref() == Some(s.id.as_str()));
            YearLine { subject: s.id.clone(), name: s.name.clone(), is_group, months: series, average, year_end: ye, composite, rank: None }
        })
        .collect();
    for table in [false, true] {
        let scores: Vec<Cents> = lines.iter().filter(|l| l.is_group == table).filter_map(|l| l.composite).collect();
        for l in lines.iter_mut().filter(|l| l.is_group == table) {
            l.rank = l.composite.map(|c| 1 + scores.iter().filter(|x| **x > c).count());
        }
    }
    lines.lean_sort_by(|a, b| (a.is_group, a.rank.is_none(), a.rank, &a.name).cmp(&(b.is_group, b.rank.is_none(), b.rank, &b.name)));
    lines
}

/// The year line's arithmetic as a person checks it: the average of the months, then the blend
/// with the year-end score (淄博: 50 % each).
pub fn year_explanation(l: &YearLine, monthly_share: f64) -> String {
    let pts = |c: Cents| super::scoring::fmt_points(c);
    let num = super::scoring::figure_text;
    let mut s = String::new();
    if let Some(avg) = l.average {
        s = format!("({}) ÷ {} = {}", l.months.iter().map(|(_, t)| pts(*t)).collect::<Vec<_>>().join(" + "), l.months.len(), pts(avg));
    }
    if let (Some(avg), Some(ye), Some(c)) = (l.average, l.year_end, l.composite) {
        s.push_str(&format!("；{} × {}% + {} × {}% = {}", pts(avg), num(monthly_share), num(ye), num(100.0 - monthly_share), pts(c)));
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::scoring::PlanDraft;
    use crate::domain::tx::{self, Done};

    fn act<T>(r: &mut Registry, ms: i64, f: impl FnOnce(&mut Tx) -> Result<T, DomainError>) -> Result<Done<T>, DomainError> {
        tx::act(r, ms, chrono::NaiveDate::from_ymd_opt(2022, 2, 1).unwrap(), "", f)
    }

    #[test]
    fn figures_are_stored_merged_and_ranked() {
        let units: Vec<String> = ["张店区", "淄川区"].iter().map(|s| s.to_string()).collect();
        let plan = PlanDraft::template(2022, &units).to_plan().unwrap();
        let mut a = Registry::new("A");
        let Done { value: pid, changes: c0 } = act(&mut a, 1, |tx| save_plan(tx, None, &plan, 1)).unwrap();
        let fig = |act: f64, lvl: &str| -> BTreeMap<String, Option<Input>> {
            BTreeMap::from([
                ("i1".into(), Some(Input::Ratio { actual: act, target: 12.0 })),
                ("i2".into(), Some(Input::Level { level: lvl.into() })),
                ("i3".into(), Some(Input::Count { n: 0.0 })),
                ("i5".into(), Some(Input::Count { n: 0.0 })),
            ])
        };
        assert!(month_results(&a, &pid, &plan, 1).is_err(), "nothing entered yet");
        let c1 = act(&mut a, 2, |tx| save_inputs(tx, &pid, &plan, 1, "张店区", &fig(12.0, "好"))).unwrap();
        assert!(c1.value && !c1.changes.is_empty());
        // Another office holds the plan but may not enter its figures: the plan's office does.
        let mut b = Registry::new("B");
        assert!(!c0.is_empty());
        for c in c0.iter().chain(&c1.changes) {
            b.apply(c).unwrap();
        }
        assert_eq!(act(&mut b, 3, |tx| save_inputs(tx, &pid, &plan, 1, "淄川区", &fig(6.0, "一般"))).unwrap_err().key, K::ErrNotOwner);
        let c2 = act(&mut a, 3, |tx| save_inputs(tx, &pid, &plan, 1, "淄川区", &fig(6.0, "一般"))).unwrap();
        assert!(c2.value && !c2.changes.is_empty());
        for c in &c2.changes {
            b.apply(c).unwrap();
        }
        let r = month_results(&a, &pid, &plan, 1).unwrap();
        assert_eq!(r[0].name, "张店区");
        assert_eq!(r, month_results(&b, &pid, &plan, 1).unwrap(), "same data, same scores in every office");
        // Re-saving unchanged figures writes nothing.
        let before = a.clone();
        let again = act(&mut a, 4, |tx| save_inputs(tx, &pid, &plan, 1, "张店区", &fig(12.0, "好"))).unwrap();
        assert!(!again.value && again.changes.is_empty());
        assert_eq!(a, before);
        assert_eq!(year_results(&a, &pid, &plan).len(), 1);
        // Year-end: 张店区 month 1 = 102 (incl. bonus 0 here: 40+30+20+10 = 100); 50 % × 100 + 50 % × 90 = 95.
        act(&mut a, 5, |tx| save_year_end(tx, &pid, &plan, "张店区", 90.0)).unwrap();
        let ys = year_summary(&a, &pid, &plan);
        assert_eq!((ys[0].name.as_str(), ys[0].months.len(), ys[0].composite, ys[0].rank), ("张店区", 1, Some(9500), Some(1)));
        assert_eq!((ys[1].composite, ys[1].rank), (None, None), "no year-end score entered yet");
        assert_eq!(year_explanation(&ys[0], plan.monthly_share), "(100.00) ÷ 1 = 100.00；100.00 × 50% + 90 × 50% = 95.00");
        // Ranked by composite: 淄川区 (month 68.00, year end 99) → 83.50, second.
        act(&mut a, 5, |tx| save_year_end(tx, &pid, &plan, "淄川区", 99.0)).unwrap();
        let ys = year_summary(&a, &pid, &plan);
        let zc = ys.iter().find(|l| l.name == "淄川区").unwrap();
        assert_eq!((zc.composite, zc.rank), (Some(8350), Some(2)));
        assert_eq!(ys.iter().filter_map(|l| l.rank).collect::<Vec<_>>(), vec![1, 2], "ranked lines come first, in rank order");
        let before = a.clone();
        assert!(act(&mut a, 6, |tx| save_year_end(tx, &pid, &plan, "张店区", -1.0)).is_err());
        assert_eq!(a, before);
    }

    #[test]
    fn invalid_figures_are_refused_where_they_are_typed() {
        let units: Vec<String> = vec!["张店区".into()];
        let plan = PlanDraft::template(2022, &units).to_plan().unwrap();
        let mut a = Registry::new("A");
        let pid = act(&mut a, 1, |tx| save_plan(tx, None, &plan, 1)).unwrap().value;
        let before = a.clone();
        let one = |ind: &str, v: Input| BTreeMap::from([(ind.to_string(), Some(v))]);
        let cases = [
            (one("i1", Input::Ratio { actual: 3.0, target: 0.0 }), "“张店区”的“改革任务完成”目标值须大于0"),
            (one("i1", Input::Ratio { actual: -1.0, target: 12.0 }), "“张店区”的“改革任务完成”不能为负数或小数"),
            (one("i3", Input::Count { n: -2.0 }), "“张店区”的“逾期任务扣分”不能为负数或小数"),
            (one("i5", Input::Count { n: 1.5 }), "“张店区”的“领导批示、试点获批、经验推广”不能为负数或小数"),
            (one("i2", Input::Level { level: "优秀".into() }), "“张店区”的“改革成效评价”数据与评分方法不符"),
            (one("i3", Input::Level { level: "好".into() }), "“张店区”的“逾期任务扣分”数据与评分方法不符"),
            (one("i4", Input::Count { n: 1.0 }), "“张店区”的“按期推进率”数据与评分方法不符"),
        ];
        for (figs, msg) in &cases {
            let e = act(&mut a, 2, |tx| save_inputs(tx, &pid, &plan, 1, "张店区", figs)).unwrap_err();
            assert_eq!(e.message(crate::i18n::Lang::Zh), *msg);
            assert_eq!(e.field, Some("inputs"));
            assert_eq!(a, before, "a refused figure stores nothing");
        }
        // A figure of a subject not in the plan is refused too.
        assert!(act(&mut a, 3, |tx| save_inputs(tx, &pid, &plan, 1, "博山区", &one("i3", Input::Count { n: 1.0 }))).is_err());
        assert_eq!(a, before);
        println!("invalid_figures_are_refused_where_they_are_typed: {} cases", cases.len() + 1);
    }
}
