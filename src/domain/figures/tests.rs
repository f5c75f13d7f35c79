use super::*;
use crate::domain::model::coll;
use crate::domain::monthly::{self as mc, DispatchQuery, Month, MonthStatus, Report};
use crate::domain::ops::{self, ItemQuery};
use crate::domain::scoring::{computed_rate, Measure};
use crate::domain::tx::act;
use crate::domain::Office;
use crate::sync::Registry;
use std::collections::BTreeMap;

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

fn item(status: Status, deadline: Option<NaiveDate>, ms: &[(Option<NaiveDate>, bool)]) -> ReformItem {
    ReformItem {
        title: "t".into(),
        status,
        deadline,
        milestones: ms.iter().map(|(due, done)| Milestone { title: "m".into(), due: *due, done: *done }).collect(),
        ..Default::default()
    }
}

#[test]
fn overdue_by_deadline_or_milestone_only_while_underway() {
    let on = d(2026, 11, 25);
    // The deadline day itself is not overdue; the day after is.
    assert!(!is_overdue(&item(Status::InProgress, Some(on), &[]), on));
    assert!(is_overdue(&item(Status::InProgress, Some(d(2026, 11, 24)), &[]), on));
    assert_eq!(days_late(&item(Status::Approved, Some(d(2026, 11, 20)), &[]), on), Some(5));
    // A milestone months late makes the item overdue although its deadline is next year.
    let late_ms = item(Status::InProgress, Some(d(2027, 6, 30)), &[(Some(d(2026, 8, 31)), false), (Some(d(2026, 12, 1)), false)]);
    assert!(is_overdue(&late_ms, on));
    assert_eq!(days_late(&late_ms, on), Some(86));
    assert_eq!(late_milestones(&late_ms, on).len(), 1);
    // ...and so it is never "near the deadline" (临近时限), which is for items still on time.
    assert!(!near_deadline(&late_ms, on, 15));
    // A finished milestone is never late.
    assert!(!is_overdue(&item(Status::InProgress, None, &[(Some(d(2026, 1, 1)), true)]), on));
    // Items not underway are never overdue, whatever their dates.
    for s in [Status::Proposed, Status::RiskReviewed, Status::AwaitingDeployment, Status::Suspended, Status::Terminated, Status::Completed, Status::Accepted] {
        assert!(!is_overdue(&item(s, Some(d(2020, 1, 1)), &[(Some(d(2020, 1, 1)), false)]), on), "{s:?}");
        assert!(!owes_report(&item(s, None, &[])), "{s:?}");
    }
    // Near: within the window, from today on; a done milestone does not count.
    assert!(near_deadline(&item(Status::InProgress, Some(d(2026, 12, 10)), &[]), on, 15));
    assert!(!near_deadline(&item(Status::InProgress, Some(d(2026, 12, 11)), &[]), on, 15));
    assert!(near_deadline(&item(Status::InProgress, Some(d(2027, 12, 1)), &[(Some(d(2026, 11, 30)), false)]), on, 15));
    assert!(!near_deadline(&item(Status::InProgress, Some(d(2027, 12, 1)), &[(Some(d(2026, 11, 30)), true)]), on, 15));
}

#[test]
fn rates_and_reporting() {
    let on = d(2026, 11, 25);
    let items = [
        item(Status::InProgress, Some(d(2026, 11, 1)), &[]),
        item(Status::InProgress, Some(d(2026, 12, 31)), &[]),
        item(Status::Approved, Some(d(2026, 12, 31)), &[(Some(d(2026, 10, 1)), false)]),
        item(Status::Approved, Some(d(2027, 1, 31)), &[]),
        item(Status::Completed, None, &[]),
        item(Status::AwaitingDeployment, None, &[]),
        item(Status::Terminated, None, &[]),
        item(Status::Suspended, Some(d(2020, 1, 1)), &[]),
    ];
    let (rate, counted) = on_schedule_rate(&items, on);
    assert_eq!((counted.len(), rate), (4, 0.5));
    let (rate, counted) = completion_rate(&items);
    assert_eq!((counted.len(), rate), (6, 1.0 / 6.0));
    let r = reporting(items.iter().zip([true, false, false, true, true, false, false, false]));
    assert_eq!(r, Reporting { due: 4, filed: 2, missing: 2 });
    assert_eq!(on_schedule_rate(&[], on).0, 1.0, "no items, nothing behind");
}

/// A registry shaped like an office's: items in every status, deadlines and milestones before and
/// after the day, reports for some. `seed` varies the mix.
fn office(seed: u64, n: usize, on: NaiveDate) -> Registry {
    let mut r = Registry::new("A");
    act(&mut r, 1, on, "", |tx| ops::setup_office(tx, &Office { name: "淄博市委改革办".into(), ..Default::default() })).unwrap();
    let mut x = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
    let mut next = move |k: u64| {
        x = x.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        (x >> 33) % k
    };
    let units = ["张店区", "淄川区", "博山区", "临淄区"];
    let m = Month::of(on);
    act(&mut r, 2, on, "", |tx| {
        for k in 0..n {
            let day = |off: i64| Some(on + chrono::Duration::days(off));
            let it = ReformItem {
                title: format!("事项{k}"),
                lead_unit: units[next(4) as usize].into(),
                status: Status::ALL[next(Status::ALL.len() as u64) as usize],
                deadline: if next(5) == 0 { None } else { day(next(200) as i64 - 100) },
                milestones: (0..next(3)).map(|_| Milestone { title: "节点".into(), due: day(next(200) as i64 - 150), done: next(2) == 0 }).collect(),
                ..Default::default()
            };
            let id = tx.save(coll::ITEM, None, &it)?;
            if next(2) == 0 {
                let rep = Report { item: id.clone(), month: m.code(), done: "推进".into(), ..Default::default() };
                tx.write(coll::REPORT, &mc::report_id(&id, m), crate::domain::model::to_writes(None, &rep))?;
            }
        }
        Ok(())
    })
    .unwrap();
    r
}

/// Every screen's count of the same thing is the same number: the list, the dashboard, dispatch
/// (its chips and its 仅看未报 filter), the bulletin, the escalation proposals and scoring.
#[test]
fn every_screen_agrees() {
    let on = d(2026, 11, 25);
    let mut cases = 0;
    for seed in 0..40 {
        let reg = office(seed, 60, on);
        let m = Month::of(on);
        let items: Vec<(String, ReformItem)> = ops::all(&reg, coll::ITEM);
        let truth_overdue = items.iter().filter(|(_, i)| is_overdue(i, on)).count();
        // The registry list: its 逾期 count and its 仅看逾期 filter.
        let rows = ops::item_rows(&reg, on);
        let list_count = rows.iter().filter(|r| r.overdue).count();
        let list_filtered = ops::query(&rows, &ItemQuery { overdue_only: true, ..Default::default() }).len();
        // The dashboard and the bulletin (both the month's summary).
        let s = mc::summary(&reg, m, on, 15);
        let dash = s.by_status.get(&MonthStatus::Overdue).copied().unwrap_or(0);
        let bulletin: usize = s.overdue_by_unit.iter().map(|(_, v)| v.len()).sum();
        // Dispatch: its chips count rows by status, its filter lists the missing reports.
        let drows = mc::dispatch_rows(&reg, m, on, 15);
        let chips = drows.iter().filter(|r| r.status == MonthStatus::Overdue).count();
        let only_missing = mc::dispatch_query(&drows, &DispatchQuery { only_missing: true, ..Default::default() }).len();
        assert_eq!([list_count, list_filtered, dash, bulletin, chips], [truth_overdue; 5], "seed {seed}: 逾期");
        let missing_named: usize = s.missing_by_unit.iter().map(|(_, v)| v.len()).sum();
        assert_eq!([s.reporting.missing, only_missing, missing_named, s.reporting.due - s.reporting.filed], [s.reporting.missing; 4], "seed {seed}: 未报");
        assert_eq!(s.reporting.due, items.iter().filter(|(_, i)| owes_report(i)).count());
        // 临近时限 on the dashboard is the near-deadline items that reported (a missing report comes first).
        let near_reported = drows.iter().filter(|r| near_deadline(&r.item, on, 15) && r.report.is_some()).count();
        assert_eq!(s.by_status.get(&MonthStatus::AtRisk).copied().unwrap_or(0), near_reported, "seed {seed}: 临近时限");
        // Escalation: every overdue item gets an urging notice or an order proposed, none other does.
        let props = mc::proposals(&reg, on, &mc::Rules::default(), &BTreeMap::new());
        let chased_overdue: usize =
            props.iter().filter(|p| matches!(p.reason, crate::i18n::K::RsOverdue | crate::i18n::K::RsOverdueLong)).map(|p| p.items.len()).sum();
        assert_eq!(chased_overdue, truth_overdue, "seed {seed}: proposals");
        // Scoring: each unit's 按期推进率 is its underway items not overdue.
        for u in ["张店区", "淄川区", "博山区", "临淄区"] {
            let mine: Vec<&ReformItem> = items.iter().map(|(_, i)| i).filter(|i| i.lead_unit == u && underway(i.status)).collect();
            let (rate, counted) = computed_rate(Measure::OnScheduleRate, u, &items, on);
            assert_eq!(counted.len(), mine.len());
            if !mine.is_empty() {
                let late = mine.iter().filter(|i| is_overdue(i, on)).count();
                assert_eq!(rate, (mine.len() - late) as f64 / mine.len() as f64, "seed {seed}: {u}");
            }
        }
        cases += 1;
    }
    println!("every_screen_agrees: {cases} registries of 60 items checked");
}
