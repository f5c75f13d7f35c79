//! Writes a city-sized registry as a signed full exchange file, for the browser benchmark
//! (scripts/bench-browser.sh): `cargo run --release --example city -- ITEMS OUT.reform.json`.
//! Every item is approved and under way with a milestone, an indicator and twelve monthly reports,
//! as 淄博's 1,378 tasks a year would be at the end of the year.

use chrono::NaiveDate;
use reform_registry::domain::monthly::{self as mc, Month, Report};
use reform_registry::domain::tx::{run, Stamp};
use reform_registry::domain::{ops, review, Indicator, ItemKind, Milestone, Office, ReformItem, Status};
use reform_registry::sync::bundle::{export, to_text};
use reform_registry::sync::{Change, Registry};

const UNITS: [&str; 8] = ["张店区", "淄川区", "博山区", "周村区", "临淄区", "桓台县", "高青县", "沂源县"];

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let (Some(n), Some(out)) = (args.get(1).and_then(|s| s.parse::<usize>().ok()), args.get(2)) else {
        eprintln!("usage: city ITEMS OUT.reform.json");
        std::process::exit(2);
    };
    // Stamped just before now, so a browser importing it today takes the clocks as they are.
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).expect("clock").as_millis() as i64 - 3_600_000;
    let day = chrono::DateTime::from_timestamp_millis(now).expect("date").date_naive();
    let year = chrono::Datelike::year(&day);
    let mut reg = Registry::new("zibo");
    reg.trust.secret = Some(reform_registry::sync::trust::hex(&[1; 32]));
    let mut log: Vec<Change> = vec![];
    let mut act = |reg: &mut Registry, ms: i64, f: &mut dyn FnMut(&mut reform_registry::domain::tx::Tx) -> Result<(), reform_registry::domain::DomainError>| {
        log.extend(run(reg, &Stamp::new(ms, day, ""), |tx| f(tx)).expect("action").changes);
    };
    act(&mut reg, now - 1_000_000, &mut |tx| ops::setup_office(tx, &Office { name: "淄博市委改革办".into(), ..Default::default() }));
    for (k, u) in UNITS.iter().enumerate() {
        act(&mut reg, now - 999_000 + k as i64, &mut |tx| {
            ops::save_unit(tx, None, &reform_registry::domain::Unit { name: (*u).into(), ..Default::default() }).map(|_| ())
        });
    }
    for i in 0..n {
        let item = ReformItem {
            title: format!("第{i}号改革任务：深化放管服改革优化营商环境"),
            kind: ItemKind::MicroReform,
            year,
            batch: format!("第{}批", i % 3 + 1),
            lead_unit: UNITS[i % UNITS.len()].into(),
            goal: "按时限完成改革任务，形成可复制推广的经验".into(),
            deadline: NaiveDate::from_ymd_opt(year, 1 + (i % 12) as u32, 28),
            milestones: vec![Milestone { title: "制定方案".into(), due: NaiveDate::from_ymd_opt(year, 1, 15), done: true }],
            indicators: vec![Indicator { name: "办结率".into(), unit: "%".into(), target: 95.0, actual: Some(90.0) }],
            ..Default::default()
        };
        let ms = now - 900_000 + i as i64;
        let mut id = String::new();
        act(&mut reg, ms, &mut |tx| {
            id = ops::save_item(tx, None, &item)?;
            review::save_risk_review(tx, &id, &review::low_risk_review("风控组", day))?;
            for s in [Status::RiskReviewed, Status::Approved, Status::InProgress] {
                ops::transition(tx, &id, s, "")?;
            }
            Ok(())
        });
        for m in 1..=12u32.min(chrono::Datelike::month(&day)) {
            let rep = Report { percent: Some(m as f64 * 8.0), done: format!("{m}月份按计划推进，完成阶段性目标"), ..Default::default() };
            let id = id.clone();
            act(&mut reg, ms, &mut |tx| mc::file_report(tx, &id, Month { year, month: m }, &rep));
        }
    }
    let text = to_text(&export(&reg, "淄博市委改革办", None, &log, None, now));
    std::fs::write(out, &text).expect("write");
    println!("city: {n} items, {} changes, {} bytes → {out}", log.len(), text.len());
}
