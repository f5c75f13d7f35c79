use super::*;
use crate::domain::assessment::{month_results, plan_versions, save_inputs, save_plan, year_results};
use crate::domain::scoring::{Input, Method, PlanDraft};
use crate::domain::tx::{act, Done};
use crate::domain::Office;
use crate::i18n::Lang;
use std::collections::BTreeMap;

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

const OCT: Month = Month { year: 2026, month: 10 };
const NOV: Month = Month { year: 2026, month: 11 };

fn figures(actual: f64, level: &str, late: f64) -> BTreeMap<String, Option<Input>> {
    BTreeMap::from([
        ("i1".into(), Some(Input::Ratio { actual, target: 12.0 })),
        ("i2".into(), Some(Input::Level { level: level.into() })),
        ("i3".into(), Some(Input::Count { n: late })),
        ("i5".into(), Some(Input::Count { n: 0.0 })),
    ])
}

/// 淄博's monthly ranking: two districts, October's figures entered; today is in November.
fn office() -> (Registry, String, Plan) {
    let (r, pid, plan, _) = office_with_log();
    (r, pid, plan)
}

fn office_with_log() -> (Registry, String, Plan, Vec<crate::sync::Change>) {
    let mut r = Registry::new("A");
    let mut log = vec![];
    let day = d(2026, 11, 3);
    log.extend(
        act(&mut r, 1, day, "", |tx| crate::domain::ops::setup_office(tx, &Office { name: "淄博市委改革办".into(), ..Default::default() })).unwrap().changes,
    );
    let plan = PlanDraft::template(2026, &["张店区".into(), "淄川区".into()]).to_plan().unwrap();
    let Done { value: pid, changes } = act(&mut r, 2, day, "", |tx| save_plan(tx, None, &plan, 1)).unwrap();
    log.extend(changes);
    log.extend(act(&mut r, 3, day, "", |tx| save_inputs(tx, &pid, &plan, 10, "张店区", &figures(12.0, "好", 3.0))).unwrap().changes);
    log.extend(act(&mut r, 4, day, "", |tx| save_inputs(tx, &pid, &plan, 10, "淄川区", &figures(9.0, "一般", 1.0))).unwrap().changes);
    (r, pid, plan, log)
}

fn total(rs: &[SubjectResult], name: &str) -> i64 {
    rs.iter().find(|r| r.name == name).unwrap().total
}

/// The deduction per late task raised from 2 to 5 points.
fn stricter(plan: &Plan) -> Plan {
    let mut p = plan.clone();
    p.indicators[2].method = Method::Deduction { per_event: 5.0 };
    p
}

#[test]
fn a_published_month_keeps_its_result_when_the_plan_changes() {
    let (mut r, pid, plan) = office();
    let day = d(2026, 11, 5);
    assert_eq!(total(&month_results(&r, &pid, &plan, 10).unwrap(), "张店区"), 9400);
    let number = act(&mut r, 10, day, "王", |tx| publish_month(tx, OCT, Some(&pid))).unwrap().value;
    assert_eq!(number, "改革办通〔2026〕1号");
    let p = publication(&r, OCT).unwrap();
    assert_eq!((p.published_on, p.published_by.as_str(), p.plan_version.as_ref()), (Some(day), "王", Some(&plan)));
    assert_eq!(p.inputs["张店区"]["i3"], Input::Count { n: 3.0 }, "the figures it was scored from are frozen with it");

    // The bulletin for October is the frozen one, with its number and date; November's is a draft.
    let b = bulletin(&r, OCT, day);
    assert_eq!((b.number.as_str(), b.published_on, b.ranking.as_ref().map(|x| total(x, "张店区"))), ("改革办通〔2026〕1号", Some(day), Some(9400)));
    assert_eq!((bulletin(&r, NOV, day).number.as_str(), bulletin(&r, NOV, day).published_on), ("", None));
    // An edit applies from the first month not yet published, not before the running month.
    assert_eq!(default_edit_month(&r, &pid, &plan, day), 11);
    assert_eq!(default_edit_month(&r, &pid, &plan, d(2026, 6, 1)), 11, "after the published October");
    assert_eq!(default_edit_month(&r, &pid, &plan, d(2027, 2, 1)), 12, "a past year's plan");
    // November: the plan gets stricter from November on. October is unchanged, November uses the new version.
    let strict = stricter(&plan);
    act(&mut r, 11, day, "", |tx| save_plan(tx, Some(&pid), &strict, 11)).unwrap();
    assert_eq!(plan_versions(&r, &pid).iter().map(|v| v.from).collect::<Vec<_>>(), vec![1, 11]);
    assert_eq!(total(&month_results(&r, &pid, &strict, 10).unwrap(), "张店区"), 9400);
    assert!(!differs(&compare(&r, OCT).unwrap()), "October's own plan version and figures give the same result");

    // The same edit applied from October: the published October still shows 94.00, and the
    // comparison shows what a re-score would give.
    act(&mut r, 12, day, "", |tx| save_plan(tx, Some(&pid), &strict, 10)).unwrap();
    assert_eq!(total(&month_results(&r, &pid, &strict, 10).unwrap(), "张店区"), 9400, "published results never change silently");
    let c = compare(&r, OCT).unwrap();
    assert!(differs(&c));
    assert_eq!((total(&c.0, "张店区"), total(c.1.as_ref().unwrap(), "张店区")), (9400, 8500));
    // A figure corrected after publication does not change the published result either.
    act(&mut r, 13, day, "", |tx| save_inputs(tx, &pid, &strict, 10, "淄川区", &figures(10.0, "一般", 1.0))).unwrap();
    assert_eq!(month_results(&r, &pid, &strict, 10).unwrap(), publication(&r, OCT).unwrap().results);

    // Re-scoring needs a reason; refused, it changes nothing.
    let before = r.clone();
    let e = act(&mut r, 14, day, "王", |tx| rescore(tx, OCT, " ")).unwrap_err();
    assert_eq!(e.message(Lang::Zh), "请填写“重新评分的理由”");
    assert_eq!(r, before);
    let Done { value, changes } = act(&mut r, 15, day, "王", |tx| rescore(tx, OCT, "市深改委决定扣分标准自10月起执行")).unwrap();
    assert!(value && changes.len() == 1);
    let p = publication(&r, OCT).unwrap();
    assert_eq!(total(&p.results, "张店区"), 8500);
    assert_eq!(p.number, "改革办通〔2026〕1号", "the 文号 stays");
    assert_eq!(p.rescores.len(), 1);
    assert_eq!((total(&p.rescores[0].before, "张店区"), p.rescores[0].by.as_str()), (9400, "王"));
    assert_eq!(p.rescores[0].plan_before.as_ref(), Some(&plan));
    assert_eq!(total(&month_results(&r, &pid, &strict, 10).unwrap(), "张店区"), 8500);
    // Re-scoring again changes nothing and records nothing.
    let before = r.clone();
    let again = act(&mut r, 16, day, "王", |tx| rescore(tx, OCT, "再算一次")).unwrap();
    assert!(!again.value && again.changes.is_empty());
    assert_eq!(r, before);
    // The year uses the published month.
    assert_eq!(year_results(&r, &pid, &strict).iter().find(|(m, _)| *m == 10).map(|(_, rs)| total(rs, "张店区")), Some(8500));
}

#[test]
fn refused_publications_change_nothing() {
    let (mut r, pid, plan, log) = office_with_log();
    let day = d(2026, 11, 5);
    let before = r.clone();
    // The running month cannot be published.
    let e = act(&mut r, 10, day, "", |tx| publish_month(tx, NOV, Some(&pid))).unwrap_err();
    assert_eq!(e.key, K::ErrMonthNotOver);
    // A month with a missing figure is not ranked, so not published: the message names it.
    let e = act(&mut r, 11, day, "", |tx| publish_month(tx, Month { year: 2026, month: 9 }, Some(&pid))).unwrap_err();
    assert_eq!(e.key, K::ErrMissingFigure);
    assert_eq!(r, before);
    act(&mut r, 12, day, "", |tx| publish_month(tx, OCT, Some(&pid))).unwrap();
    let before = r.clone();
    let e = act(&mut r, 13, day, "", |tx| publish_month(tx, OCT, Some(&pid))).unwrap_err();
    assert_eq!(e.message(Lang::Zh), "2026-10已于先前发布（改革办通〔2026〕1号），已发布的结果不再改动；如需更正请“重新评分”");
    assert_eq!(r, before);
    // A plan's year does not change.
    let mut other = plan.clone();
    other.year = 2027;
    assert_eq!(act(&mut r, 14, day, "", |tx| save_plan(tx, Some(&pid), &other, 11)).unwrap_err().key, K::ErrPlanYearChange);
    // Saving the plan unchanged records nothing.
    let same = act(&mut r, 15, day, "", |tx| save_plan(tx, Some(&pid), &plan, 11)).unwrap();
    assert!(same.changes.is_empty());
    assert_eq!(r, before);
    // Another office's plan is not this office's to publish.
    let mut b = Registry::new("B");
    for c in &log {
        b.apply(c).unwrap();
    }
    let e = act(&mut b, 1, day, "", |tx| publish_month(tx, Month { year: 2026, month: 8 }, Some(&pid))).unwrap_err();
    assert_eq!(e.key, K::ErrPlanNotForMonth);
}

#[test]
fn bulletins_are_numbered_in_the_year_they_are_issued_and_a_bulletin_needs_no_plan() {
    let mut r = Registry::new("A");
    let day = d(2026, 12, 2);
    act(&mut r, 1, day, "", |tx| crate::domain::ops::setup_office(tx, &Office { name: "红安县委改革办".into(), ..Default::default() })).unwrap();
    for (k, m) in [9u32, 10, 11].into_iter().enumerate() {
        let n = act(&mut r, 2 + k as i64, day, "", |tx| publish_month(tx, Month { year: 2026, month: m }, None)).unwrap().value;
        assert_eq!(n, format!("改革办通〔2026〕{}号", k + 1));
    }
    let n = act(&mut r, 9, d(2027, 1, 4), "", |tx| publish_month(tx, Month { year: 2026, month: 12 }, None)).unwrap().value;
    assert_eq!(n, "改革办通〔2027〕1号");
    assert_eq!(publications(&r).len(), 4);
    assert!(publication(&r, OCT).unwrap().plan.is_empty());
}
