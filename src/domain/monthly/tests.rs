use super::*;
use crate::domain::model::Milestone;
use crate::domain::ops::{save_item_adding_names, setup_office, transition};
use crate::domain::tx::act;
use crate::domain::Office;
use crate::i18n::Lang;

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

fn item(deadline: NaiveDate, status: Status) -> ReformItem {
    ReformItem { title: "t".into(), lead_unit: "县教育局".into(), year: 2024, deadline: Some(deadline), status, ..Default::default() }
}

#[test]
fn status_rules_on_a_calendar() {
    let on = d(2024, 2, 29); // leap day, end of February
                             // Deadline the same day is not yet overdue; the day after is.
    assert_eq!(month_status(&item(d(2024, 2, 29), Status::InProgress), true, on, 15), MonthStatus::AtRisk);
    assert_eq!(month_status(&item(d(2024, 2, 28), Status::InProgress), true, on, 15), MonthStatus::Overdue);
    // Overdue wins over a missing report; a missing report over "at risk".
    assert_eq!(month_status(&item(d(2024, 1, 31), Status::InProgress), false, on, 15), MonthStatus::Overdue);
    assert_eq!(month_status(&item(d(2024, 3, 10), Status::InProgress), false, on, 15), MonthStatus::NoReport);
    // 15-day window: 3-15 is at risk on 2-29, 3-16 is not (2024 is a leap year: 15 and 16 days).
    assert_eq!(month_status(&item(d(2024, 3, 15), Status::Approved), true, on, 15), MonthStatus::AtRisk);
    assert_eq!(month_status(&item(d(2024, 3, 16), Status::Approved), true, on, 15), MonthStatus::OnSchedule);
    // A milestone due soon and not done puts it at risk; done, it does not.
    let mut i = item(d(2024, 12, 31), Status::InProgress);
    i.milestones.push(Milestone { title: "方案".into(), due: Some(d(2024, 3, 5)), done: false });
    assert_eq!(month_status(&i, true, on, 15), MonthStatus::AtRisk);
    i.milestones[0].done = true;
    assert_eq!(month_status(&i, true, on, 15), MonthStatus::OnSchedule);
    // Waiting for upper deployment, stopped, done and not-yet-approved items owe nothing.
    assert_eq!(month_status(&item(d(2023, 1, 1), Status::AwaitingDeployment), false, on, 15), MonthStatus::Waiting);
    assert_eq!(month_status(&item(d(2023, 1, 1), Status::Suspended), false, on, 15), MonthStatus::Stopped);
    assert_eq!(month_status(&item(d(2023, 1, 1), Status::Completed), false, on, 15), MonthStatus::Done);
    assert_eq!(month_status(&item(d(2023, 1, 1), Status::Proposed), false, on, 15), MonthStatus::NotStarted);
}

#[test]
fn months_are_judged_on_their_last_day_once_over() {
    let m = Month { year: 2023, month: 2 };
    assert_eq!(m.last(), d(2023, 2, 28));
    assert_eq!(m.judged_on(d(2023, 5, 1)), d(2023, 2, 28));
    assert_eq!(m.judged_on(d(2023, 2, 10)), d(2023, 2, 10));
    assert_eq!(Month { year: 2024, month: 1 }.prev(), Month { year: 2023, month: 12 });
    assert_eq!(Month::parse("2024-13"), None);
    assert_eq!(Month::parse("2024-02").unwrap().last(), d(2024, 2, 29));
}

fn registry() -> (Registry, String) {
    let mut r = Registry::new("A");
    let day = d(2024, 1, 2);
    act(&mut r, 1, day, "", |tx| setup_office(tx, &Office { name: "平原县委改革办".into(), ..Default::default() })).unwrap();
    let mut i = item(d(2024, 3, 31), Status::Proposed);
    i.title = "县管校聘".into();
    let id = act(&mut r, 2, day, "", |tx| save_item_adding_names(tx, None, &i)).unwrap().value;
    act(&mut r, 3, day, "", |tx| crate::domain::review::save_risk_review(tx, &id, &crate::domain::review::low_risk_review("县司法局", day))).unwrap();
    for s in [Status::RiskReviewed, Status::Approved, Status::InProgress] {
        act(&mut r, 3, day, "", |tx| transition(tx, &id, s, "")).unwrap();
    }
    (r, id)
}

#[test]
fn one_report_per_item_and_month_and_no_future_months() {
    let (mut r, id) = registry();
    let today = d(2024, 2, 10);
    let rep = Report { percent: Some(40.0), done: "完成方案起草".into(), ..Default::default() };
    let before = r.clone();
    let e = act(&mut r, 10, today, "", |tx| file_report(tx, &id, Month { year: 2024, month: 3 }, &rep)).unwrap_err();
    assert_eq!(e.message(Lang::Zh), "不能登记未来的时间（2024-03）");
    assert_eq!(r, before);
    let filed = act(&mut r, 10, today, "王", |tx| file_report(tx, &id, Month::of(today), &rep)).unwrap();
    // Blank boxes are not written; they read back blank.
    assert_eq!(filed.changes[0].set.keys().collect::<Vec<_>>(), vec!["done", "item", "month", "percent", "reported_on"]);
    let back = report_for(&r, &id, Month::of(today)).unwrap();
    assert!(has_report(&r, &id, Month::of(today)) && !has_report(&r, &id, Month::of(today).prev()));
    assert_eq!((back.problems.as_str(), back.percent, back.reported_on), ("", Some(40.0), Some(today)));
    let before = r.clone();
    let e = act(&mut r, 11, today, "王", |tx| file_report(tx, &id, Month::of(today), &rep)).unwrap_err();
    assert_eq!(e.key, K::ErrReportExists);
    assert_eq!(r, before);
    let bad = Report { percent: Some(140.0), ..rep.clone() };
    assert_eq!(act(&mut r, 12, today, "", |tx| correct_report(tx, &id, Month::of(today), &bad)).unwrap_err().key, K::ErrPercent);
    // A correction rewrites only what changed.
    let fixed = Report { percent: Some(45.0), ..rep.clone() };
    let done = act(&mut r, 13, today, "王", |tx| correct_report(tx, &id, Month::of(today), &fixed)).unwrap();
    assert!(done.value);
    assert_eq!(done.changes.len(), 1);
    assert_eq!(done.changes[0].set.keys().collect::<Vec<_>>(), vec!["percent"]);
    assert_eq!(report_for(&r, &id, Month::of(today)).unwrap().percent, Some(45.0));
    // A box filled later is written like any correction.
    let more = Report { problems: "资金未到位".into(), ..fixed.clone() };
    let done = act(&mut r, 14, today, "王", |tx| correct_report(tx, &id, Month::of(today), &more)).unwrap();
    assert_eq!(done.changes[0].set.keys().collect::<Vec<_>>(), vec!["problems"]);
    assert_eq!(report_for(&r, &id, Month::of(today)).unwrap().problems, "资金未到位");
    let rows = dispatch_rows(&r, Month::of(today), today, 15);
    assert_eq!(rows[0].status, MonthStatus::OnSchedule);
}

#[test]
fn serial_numbers_have_no_gaps_or_repeats() {
    let (mut r, id) = registry();
    let today = d(2024, 4, 2);
    let rules = Rules { serial_pattern: "平改办督〔{year}〕{n}号".into(), ..Default::default() };
    act(&mut r, 5, today, "", |tx| save_rules(tx, &rules)).unwrap();
    let mut numbers = vec![];
    for k in 0..5 {
        let nid = act(&mut r, 10 + k, today, "", |tx| {
            issue_notice(tx, NoticeKind::Urging, "县教育局", std::slice::from_ref(&id), "请于5日内报送整改情况", Some(d(2024, 4, 10)))
        })
        .unwrap()
        .value;
        numbers.push(from_record::<Notice>(r.get_live(&nid).unwrap()).number);
    }
    assert_eq!(numbers, (1..=5).map(|n| format!("平改办督〔2024〕{n}号")).collect::<Vec<_>>());
    assert_eq!(next_serial(&r, 2024), 6);
    assert_eq!(next_serial(&r, 2025), 1, "a new year starts at 1");
    // Notices from another office do not consume this office's numbers.
    let mut other = Registry::new("B");
    let changes = act(&mut other, 1, today, "", |tx| {
        crate::domain::org::save_unit(tx, None, &crate::domain::Unit { name: "县卫健局".into(), ..Default::default() })?;
        issue_notice(tx, NoticeKind::Reminder, "县卫健局", &[], "x", None)
    })
    .unwrap()
    .changes;
    assert!(!changes.is_empty());
    for c in &changes {
        r.apply(c).unwrap();
    }
    assert_eq!(next_serial(&r, 2024), 6);
    // A refused notice takes no number.
    let before = r.clone();
    assert!(act(&mut r, 20, today, "", |tx| issue_notice(tx, NoticeKind::Urging, "", &[], "x", None)).is_err());
    assert_eq!(next_serial(&r, 2024), 6);
    assert_eq!(r, before);
}

#[test]
fn replies_and_corrections() {
    let (mut r, id) = registry();
    let today = d(2024, 4, 2);
    let nid = act(&mut r, 10, today, "", |tx| issue_notice(tx, NoticeKind::Urging, "县教育局", &[id], "请报送", None)).unwrap().value;
    let before = r.clone();
    let e = act(&mut r, 11, d(2024, 4, 5), "", |tx| record_reply(tx, &nid, "已整改", d(2024, 4, 1))).unwrap_err();
    assert_eq!(e.message(Lang::Zh), "回复日期不能早于通知签发日期");
    assert_eq!(r, before);
    act(&mut r, 12, d(2024, 4, 5), "", |tx| record_reply(tx, &nid, "已整改到位", d(2024, 4, 4))).unwrap();
    act(&mut r, 13, d(2024, 4, 6), "王", |tx| add_correction(tx, &nid, "主送单位应为县教育局及县人社局")).unwrap();
    let n: Notice = from_record(r.get_live(&nid).unwrap());
    assert_eq!(n.reply, "已整改到位");
    assert_eq!(n.corrections.len(), 1);
    assert_eq!((n.corrections[0].by.as_str(), n.corrections[0].on), ("王", Some(d(2024, 4, 6))), "signed and dated by the action");
    assert_eq!(n.number, "改革办督〔2024〕1号", "the issued text is unchanged");
}

#[test]
fn rules_with_negative_days_are_refused() {
    let (mut r, _) = registry();
    let before = r.clone();
    let bad = Rules { reminder_days: -3, ..Rules::default() };
    assert_eq!(act(&mut r, 5, d(2024, 4, 2), "", |tx| save_rules(tx, &bad)).unwrap_err().message(Lang::Zh), "天数须为0到3650之间的整数");
    assert_eq!(r, before);
}

/// An item like `registry()`'s, in progress, with its own title, lead unit and deadline.
fn add_underway(r: &mut Registry, at: i64, title: &str, unit: &str, deadline: NaiveDate) -> String {
    let day = d(2024, 1, 2);
    let mut i = item(deadline, Status::Proposed);
    (i.title, i.lead_unit) = (title.into(), unit.into());
    let id = act(r, at, day, "", |tx| save_item_adding_names(tx, None, &i)).unwrap().value;
    act(r, at + 1, day, "", |tx| crate::domain::review::save_risk_review(tx, &id, &crate::domain::review::low_risk_review("县司法局", day))).unwrap();
    for (n, s) in [Status::RiskReviewed, Status::Approved, Status::InProgress].into_iter().enumerate() {
        act(r, at + 2 + n as i64, day, "", |tx| transition(tx, &id, s, "")).unwrap();
    }
    id
}

#[test]
fn proposals_are_one_per_unit_and_rule() {
    let (mut r, first) = registry(); // 县教育局, deadline 2024-03-31
    let later = add_underway(&mut r, 100, "课后服务", "县教育局", d(2024, 4, 3));
    let other = add_underway(&mut r, 200, "医共体", "县卫健局", d(2024, 3, 20));
    let near = add_underway(&mut r, 300, "集团化办学", "县教育局", d(2024, 4, 14));
    for id in [&first, &later, &other, &near] {
        act(&mut r, 400, d(2024, 4, 8), "", |tx| file_report(tx, id, Month { year: 2024, month: 4 }, &Report { done: "推进".into(), ..Default::default() }))
            .unwrap();
    }
    let p = proposals(&r, d(2024, 4, 10), &Rules::default(), &BTreeMap::new());
    let brief: Vec<_> = p.iter().map(|p| (p.kind, p.unit.as_str(), p.reason, p.items.clone(), p.item_args.clone(), p.reason_arg.as_str())).collect();
    // 县教育局's two overdue items are one urging notice, the longest overdue first; 县卫健局's
    // is its own; an item merely near its deadline is a reminder apart (another rung).
    assert_eq!(
        brief,
        vec![
            (NoticeKind::Urging, "县卫健局", K::RsOverdue, vec![other], vec!["21".to_string()], "21"),
            (NoticeKind::Urging, "县教育局", K::RsOverdue, vec![first, later], vec!["10".to_string(), "7".to_string()], "10"),
            (NoticeKind::Reminder, "县教育局", K::RsDeadlineNear, vec![near], vec!["4".to_string()], "4"),
        ]
    );
}

#[test]
fn escalation_ladder() {
    let (mut r, id) = registry(); // deadline 2024-03-31, in progress
    let rules = Rules::default();
    let none = BTreeMap::new();
    // Without this month's report after the 20th, the urging notice comes first.
    assert_eq!(proposals(&r, d(2024, 3, 25), &rules, &none)[0].kind, NoticeKind::Urging);
    act(&mut r, 5, d(2024, 3, 23), "", |tx| file_report(tx, &id, Month { year: 2024, month: 3 }, &Report { done: "推进".into(), ..Default::default() }))
        .unwrap();
    // Report filed: 8 days before the deadline nothing, 7 days before a reminder.
    assert!(proposals(&r, d(2024, 3, 23), &rules, &none).is_empty());
    let p = proposals(&r, d(2024, 3, 24), &rules, &none);
    assert_eq!((p[0].kind, p[0].reason, p[0].reason_arg.as_str()), (NoticeKind::Reminder, K::RsDeadlineNear, "7"));
    // No report this month after the 20th → urging.
    let p = proposals(&r, d(2024, 2, 21), &rules, &none);
    assert_eq!((p[0].kind, p[0].reason), (NoticeKind::Urging, K::RsNoReport));
    // Overdue → urging; over 30 days → order.
    assert_eq!(proposals(&r, d(2024, 4, 5), &rules, &none)[0].kind, NoticeKind::Urging);
    assert_eq!(proposals(&r, d(2024, 5, 1), &rules, &none)[0].kind, NoticeKind::Order);
    // Once the urging notice is issued it is not proposed again this month...
    act(&mut r, 20, d(2024, 4, 5), "", |tx| issue_notice(tx, NoticeKind::Urging, "县教育局", std::slice::from_ref(&id), "请整改", None)).unwrap();
    assert!(proposals(&r, d(2024, 4, 6), &rules, &none).is_empty());
    // ...and unanswered for more than 15 days it escalates to an order (still within 30 days overdue).
    let p = proposals(&r, d(2024, 4, 21), &rules, &none);
    assert_eq!((p[0].kind, p[0].reason), (NoticeKind::Order, K::RsUnanswered));
    // Last place two months running → order to the unit.
    let lp = BTreeMap::from([("县卫健局".to_string(), 2)]);
    assert!(proposals(&r, d(2024, 4, 6), &rules, &lp).iter().any(|p| p.unit == "县卫健局" && p.kind == NoticeKind::Order && p.reason == K::RsLastPlace));
    // Items waiting for upper deployment are never chased.
    act(&mut r, 30, d(2024, 4, 6), "", |tx| transition(tx, &id, Status::AwaitingDeployment, "上级未部署")).unwrap();
    assert!(proposals(&r, d(2024, 6, 1), &rules, &none).is_empty());
}

#[test]
fn notice_state_replied_late_or_waiting() {
    let today = d(2024, 4, 10);
    let mut n = Notice { reply_by: Some(today), ..Default::default() };
    // The reply-by day itself is not late; the day after is.
    assert_eq!(n.state(today), NoticeState::Waiting);
    assert_eq!(n.state(d(2024, 4, 11)), NoticeState::Late);
    assert_eq!(n.state(d(2024, 4, 11)).label(), K::SvLate);
    // Without a reply-by date it is never late.
    n.reply_by = None;
    assert_eq!(n.state(d(2030, 1, 1)), NoticeState::Waiting);
    assert_eq!(NoticeState::Waiting.label(), K::SvWaiting);
    // A reply settles it, even a late one.
    n.reply_by = Some(d(2024, 4, 1));
    n.replied_on = Some(d(2024, 4, 9));
    assert_eq!(n.state(today), NoticeState::Replied);
    assert_eq!(NoticeState::Replied.label(), K::SvReplied);
}

#[test]
fn dispatch_query_filters_rows() {
    let row = |title: &str, unit: &str, group: &str, official: &str, status: MonthStatus, reported: bool| DispatchRow {
        id: title.into(),
        item: ReformItem {
            title: title.into(),
            lead_unit: unit.into(),
            special_group: group.into(),
            leading_official: official.into(),
            status: match status {
                MonthStatus::Waiting => Status::AwaitingDeployment,
                MonthStatus::Done => Status::Completed,
                MonthStatus::NotStarted => Status::Proposed,
                MonthStatus::Stopped => Status::Suspended,
                _ => Status::InProgress,
            },
            ..Default::default()
        },
        report: reported.then(|| Report { done: "推进".into(), ..Default::default() }),
        status,
    };
    let rows = vec![
        row("a", "县教育局", "g1", "王某", MonthStatus::OnSchedule, true),
        row("b", "县教育局", "g2", "", MonthStatus::NoReport, false),
        row("c", "县卫健局", "g1", "李某", MonthStatus::Overdue, false),
        row("d", "县卫健局", "g1", "李某", MonthStatus::NotStarted, false),
        row("e", "县卫健局", "g1", "李某", MonthStatus::Stopped, false),
        row("f", "县卫健局", "", "", MonthStatus::Waiting, false),
        row("g", "县卫健局", "", "", MonthStatus::Done, false),
    ];
    let titles = |q: &DispatchQuery| dispatch_query(&rows, q).iter().map(|&n| rows[n].item.title.clone()).collect::<Vec<_>>();
    // Not-yet-approved and stopped items are never listed.
    assert_eq!(titles(&DispatchQuery::default()), vec!["a", "b", "c", "f", "g"]);
    assert_eq!(titles(&DispatchQuery { unit: "县教育局".into(), ..Default::default() }), vec!["a", "b"]);
    assert_eq!(titles(&DispatchQuery { group: "g1".into(), ..Default::default() }), vec!["a", "c"]);
    assert_eq!(titles(&DispatchQuery { official: "李某".into(), ..Default::default() }), vec!["c"]);
    // Only missing: items that owe a report and have none (waiting and done items owe nothing).
    assert_eq!(titles(&DispatchQuery { only_missing: true, ..Default::default() }), vec!["b", "c"]);
    assert_eq!(titles(&DispatchQuery { only_missing: true, unit: "县卫健局".into(), ..Default::default() }), vec!["c"]);
    assert!(!DispatchQuery { official: "王某".into(), group: "g2".into(), ..Default::default() }.matches(&rows[0]));
}
