//! Benchmark: the registry at city scale (10,000 items with their histories).
//! Prints figures; ratios are measured in the same run because these machines are noisy.
//! Run: `cargo run --release --example bench` (part of scripts/test.sh).

use reform_registry::domain::ops::{self, ItemQuery};
use reform_registry::domain::{Indicator, ItemKind, Milestone, Office, ReformItem, Status};
use reform_registry::sync::bundle::{export, parse, plan_import, to_text};
use reform_registry::sync::clock::DEFAULT_MAX_DRIFT_MS;
use reform_registry::sync::{Change, Registry};
use chrono::NaiveDate;
use std::time::Instant;

const N: usize = 10_000;

fn ms(t: Instant) -> f64 {
    t.elapsed().as_secs_f64() * 1000.0
}

fn main() {
    let now = 1_700_000_000_000i64;
    let mut reg = Registry::new("zibo");
    let mut log: Vec<Change> = vec![];
    log.push(ops::setup_office(&mut reg, now, &Office { name: "淄博市委改革办".into(), ..Default::default() }, "").unwrap());
    let units = ["张店区", "淄川区", "博山区", "周村区", "临淄区", "桓台县", "高青县", "沂源县"];
    let t = Instant::now();
    for n in 0..N {
        let item = ReformItem {
            title: format!("第{n}号改革任务：深化放管服改革优化营商环境"),
            kind: ItemKind::ALL[n % ItemKind::ALL.len()],
            source_level: None,
            year: 2022,
            batch: format!("第{}批", n % 3 + 1),
            lead_unit: units[n % units.len()].into(),
            goal: "按时限完成改革任务，形成可复制推广的经验".into(),
            deadline: NaiveDate::from_ymd_opt(2022, 1 + (n % 12) as u32, 28),
            milestones: vec![Milestone { title: "制定方案".into(), due: NaiveDate::from_ymd_opt(2022, 1, 15), done: true }],
            indicators: vec![Indicator { name: "办结率".into(), unit: "%".into(), target: 95.0, actual: Some(90.0) }],
            tags: vec!["淄博".into()],
            ..Default::default()
        };
        let item = if item.kind == ItemKind::Mandated { ReformItem { source_level: Some(reform_registry::domain::SourceLevel::Province), source_doc: "省委文件".into(), ..item } } else { item };
        let item = if item.kind == ItemKind::Pilot { ReformItem { pilot_level: Some(reform_registry::domain::PilotLevel::City), ..item } } else { item };
        let (id, c) = ops::save_item(&mut reg, now + n as i64, None, &item, "").unwrap();
        log.extend(c);
        for s in [Status::RiskReviewed, Status::Approved, Status::InProgress] {
            log.push(ops::transition(&mut reg, now + n as i64, &id, s, "", "").unwrap());
        }
        let mut e = item.clone();
        e.goal = format!("{}（已调整）", e.goal);
        log.extend(ops::save_item(&mut reg, now + n as i64, Some(&id), &e, "").unwrap().1);
    }
    println!("bench: built {N} items, {} changes in {:.0} ms", log.len(), ms(t));

    let today = NaiveDate::from_ymd_opt(2022, 7, 1).unwrap();
    let t = Instant::now();
    let rows = ops::item_rows(&reg, today);
    let rows_ms = ms(t);
    let t = Instant::now();
    let q = ItemQuery { text: "营商 临淄".into(), overdue_only: true, ..Default::default() };
    let hits = ops::query(&rows, &q).len();
    let query_ms = ms(t);
    println!("bench: list rows for {N} items {rows_ms:.1} ms; search + overdue filter {query_ms:.2} ms ({hits} hits)");

    let t = Instant::now();
    let bundle = export(&reg, "淄博市委改革办", None, &log, None, now + 1);
    let text = to_text(&bundle);
    let export_ms = ms(t);
    let t = Instant::now();
    let _floor: serde_json::Value = serde_json::from_str(&text).unwrap();
    let floor_ms = ms(t);
    let t = Instant::now();
    let parsed = parse(&text).unwrap();
    let parse_ms = ms(t);
    let fresh = Registry::new("dezhou");
    let t = Instant::now();
    let plan = plan_import(&fresh, &parsed, now + 10, DEFAULT_MAX_DRIFT_MS, &|_| None).unwrap();
    let plan_ms = ms(t);
    assert_eq!(plan.registry.canonical_state(), reg.canonical_state());
    println!("bench: bundle {} bytes = {} bytes per item ({} changes)", text.len(), text.len() / N, parsed.body.changes.len());
    println!("bench: export {export_ms:.0} ms; serde_json parse floor {floor_ms:.0} ms; bundle parse+verify {parse_ms:.0} ms ({:.1}x floor); merge into empty registry {plan_ms:.0} ms; import total {:.1}x floor", parse_ms / floor_ms, (parse_ms + plan_ms) / floor_ms);
}
