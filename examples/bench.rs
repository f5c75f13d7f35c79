//! Benchmark: the registry at city scale (10,000 items with their histories).
//! Prints figures; ratios are measured in the same run because these machines are noisy.
//! Run: `cargo run --release --example bench` (part of scripts/test.sh).

use chrono::NaiveDate;
use reform_registry::app::Session;
use reform_registry::domain::model::coll;
use reform_registry::domain::ops::{self, ItemQuery};
use reform_registry::domain::tx::{run, Stamp};
use reform_registry::domain::{Indicator, ItemKind, Milestone, Office, ReformItem, Status};
use reform_registry::storage::block_on;
use reform_registry::storage::memory::MemoryStore;
use reform_registry::sync::bundle::{export, parse, plan_import, to_text};
use reform_registry::sync::clock::DEFAULT_MAX_DRIFT_MS;
use reform_registry::sync::{Change, Registry};
use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::RefCell;
use std::rc::Rc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

const N: usize = 10_000;

/// Counts live heap bytes and their peak, so the benchmark can print memory against file size.
struct Counting;
static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, l: Layout) -> *mut u8 {
        let p = unsafe { System.alloc(l) };
        if !p.is_null() {
            let now = LIVE.fetch_add(l.size(), Ordering::Relaxed) + l.size();
            PEAK.fetch_max(now, Ordering::Relaxed);
        }
        p
    }
    unsafe fn dealloc(&self, p: *mut u8, l: Layout) {
        unsafe { System.dealloc(p, l) };
        LIVE.fetch_sub(l.size(), Ordering::Relaxed);
    }
}

#[global_allocator]
static ALLOC: Counting = Counting;

/// Starts a new peak measurement; returns the bytes live now.
fn peak_from_here() -> usize {
    let live = LIVE.load(Ordering::Relaxed);
    PEAK.store(live, Ordering::Relaxed);
    live
}

fn ms(t: Instant) -> f64 {
    t.elapsed().as_secs_f64() * 1000.0
}

fn main() {
    let now = 1_700_000_000_000i64;
    let mut reg = Registry::new("zibo");
    // Signed, as every office's files are (verification is part of the import measured below).
    reg.trust.secret = Some(reform_registry::sync::trust::hex(&[1; 32]));
    let mut log: Vec<Change> = vec![];
    let day = NaiveDate::from_ymd_opt(2022, 1, 5).unwrap();
    log.extend(
        run(&mut reg, &Stamp::new(now, day, ""), |tx| ops::setup_office(tx, &Office { name: "淄博市委改革办".into(), ..Default::default() })).unwrap().changes,
    );
    let units = ["张店区", "淄川区", "博山区", "周村区", "临淄区", "桓台县", "高青县", "沂源县"];
    // The units are on 组织架构 first, as an office sets them up before entering its tasks.
    for u in units {
        let unit = reform_registry::domain::Unit { name: u.into(), ..Default::default() };
        log.extend(run(&mut reg, &Stamp::new(now, day, ""), |tx| ops::save_unit(tx, None, &unit)).unwrap().changes);
    }
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
        let item = if item.kind == ItemKind::Mandated {
            ReformItem { source_level: Some(reform_registry::domain::SourceLevel::Province), source_doc: "省委文件".into(), ..item }
        } else {
            item
        };
        let item = if item.kind == ItemKind::Pilot { ReformItem { pilot_level: Some(reform_registry::domain::PilotLevel::City), ..item } } else { item };
        // Each step is one user action, as in the app.
        let stamp = Stamp::new(now + n as i64, day, "");
        let done = run(&mut reg, &stamp, |tx| ops::save_item(tx, None, &item)).unwrap();
        let id = done.value;
        log.extend(done.changes);
        log.extend(
            run(&mut reg, &stamp, |tx| {
                reform_registry::domain::review::save_risk_review(tx, &id, &reform_registry::domain::review::low_risk_review("风控组", day))
            })
            .unwrap()
            .changes,
        );
        for s in [Status::RiskReviewed, Status::Approved, Status::InProgress] {
            log.extend(run(&mut reg, &stamp, |tx| ops::transition(tx, &id, s, "")).unwrap().changes);
        }
        let mut e = item.clone();
        e.goal = format!("{}（已调整）", e.goal);
        log.extend(run(&mut reg, &stamp, |tx| ops::save_item(tx, Some(&id), &e)).unwrap().changes);
    }
    println!("bench: built {N} items, {} changes in {:.0} ms", log.len(), ms(t));

    // Twelve monthly progress reports a year for every item (the monthly cycle).
    use reform_registry::domain::monthly::{self as mc, Month, Report};
    let ids: Vec<String> = reg.live("item").map(|r| r.id.clone()).collect();
    let year_end = NaiveDate::from_ymd_opt(2022, 12, 31).unwrap();
    let t = Instant::now();
    for m in 1..=12u32 {
        for id in &ids {
            let rep = Report {
                percent: Some(m as f64 * 8.0),
                done: format!("{m}月份按计划推进，完成阶段性目标"),
                problems: "无".into(),
                next_steps: "继续推进".into(),
                ..Default::default()
            };
            log.extend(
                run(&mut reg, &Stamp::new(now + 100_000 + m as i64, year_end, ""), |tx| mc::file_report(tx, id, Month { year: 2022, month: m }, &rep))
                    .unwrap()
                    .changes,
            );
        }
    }
    println!("bench: filed {} monthly reports in {:.0} ms", ids.len() * 12, ms(t));
    // One edit in the full registry: keeping the names (no directory read) and changing the lead
    // unit (the directory is read: one pass over the registry).
    let one: ReformItem = reform_registry::domain::model::from_record(reg.get_live(&ids[0]).unwrap());
    let stamp = Stamp::new(now + 200_000, year_end, "");
    let t = Instant::now();
    log.extend(run(&mut reg, &stamp, |tx| ops::save_item(tx, Some(&ids[0]), &ReformItem { goal: "目标已调整".into(), ..one.clone() })).unwrap().changes);
    let keep_ms = ms(t);
    let t = Instant::now();
    let moved = ReformItem { lead_unit: units[units.len() - 1].into(), goal: "目标已调整".into(), ..one.clone() };
    log.extend(run(&mut reg, &stamp, |tx| ops::save_item(tx, Some(&ids[0]), &moved)).unwrap().changes);
    let unit_ms = ms(t);
    println!("bench: one edit among {} records: {keep_ms:.2} ms (names kept), {unit_ms:.2} ms (lead unit changed)", reg.records.len());
    // What the registry occupies at rest: the heap a copy of it takes (the page holds one).
    let base = LIVE.load(Ordering::Relaxed);
    let t = Instant::now();
    let copy = reg.clone();
    let clone_ms = ms(t);
    let held = LIVE.load(Ordering::Relaxed) - base;
    let stored: usize = copy.records.values().map(|r| serde_json::to_string(r).map(|s| s.len()).unwrap_or(0)).sum();
    println!(
        "bench: registry in memory {:.0} MB for {} records ({} bytes per record; {:.0} MB as stored JSON); copying it {clone_ms:.0} ms",
        held as f64 / 1048576.0,
        copy.records.len(),
        held / copy.records.len().max(1),
        stored as f64 / 1048576.0
    );
    // As start-up holds it: read from the stored form, the reports and items kept as text, and
    // the items made typed from it (as every first screen does).
    // Bucket texts as the browser's storage holds them (`storage::bucket`), 256 of them.
    let mut buckets = vec![String::new(); 256];
    for (n, r) in copy.records.values().enumerate() {
        reform_registry::storage::bucket::push(&mut buckets[n % 256], &reform_registry::storage::StoredRecord::of(r));
    }
    drop(copy);
    let base = LIVE.load(Ordering::Relaxed);
    let t = Instant::now();
    let mut loader = reform_registry::sync::records::Loader::new(reform_registry::storage::KEPT_AS_TEXT);
    for b in buckets {
        reform_registry::storage::bucket::load(&mut loader, &std::sync::Arc::new(b)).unwrap();
    }
    let loaded = loader.finish();
    let load_ms = ms(t);
    let held_reg = reform_registry::storage::assemble(reform_registry::storage::Meta::of(&reg), loaded);
    let t = Instant::now();
    let typed = ops::all_shared::<ReformItem>(&held_reg, coll::ITEM).len();
    let typed_ms = ms(t);
    let lazy = LIVE.load(Ordering::Relaxed) - base;
    println!(
        "bench: as read from storage with the {typed} items typed: {:.0} MB ({:.2}x the parsed registry; {} of {} records kept as text); reading {load_ms:.0} ms, typing the items {typed_ms:.0} ms",
        lazy as f64 / 1048576.0,
        lazy as f64 / held as f64,
        held_reg.records.unparsed(),
        held_reg.records.len()
    );
    drop(held_reg);
    let t = Instant::now();
    let rows = mc::dispatch_rows(&reg, Month { year: 2022, month: 7 }, NaiveDate::from_ymd_opt(2022, 7, 20).unwrap(), 15);
    let dispatch_ms = ms(t);
    let t = Instant::now();
    let summary = mc::summary(&reg, Month { year: 2022, month: 7 }, NaiveDate::from_ymd_opt(2022, 7, 20).unwrap(), 15);
    let summary_ms = ms(t);
    let t = Instant::now();
    let props = mc::proposals(&reg, NaiveDate::from_ymd_opt(2022, 7, 25).unwrap(), &mc::Rules::default(), &Default::default());
    let rules_ms = ms(t);
    println!(
        "bench: dispatch screen rows for {} items (12 months of reports each) {dispatch_ms:.0} ms; bulletin summary {summary_ms:.0} ms ({} overdue units); escalation proposals {rules_ms:.0} ms ({} proposed)",
        rows.len(),
        summary.overdue_by_unit.len(),
        props.len()
    );

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
    let base = peak_from_here();
    let t = Instant::now();
    let parsed = parse(&text, coll::ALL).unwrap();
    let parse_ms = ms(t);
    let fresh = Registry::new("dezhou");
    let t = Instant::now();
    let changes_in_file = parsed.body.changes.len();
    let plan = plan_import(&fresh, parsed, now + 10, DEFAULT_MAX_DRIFT_MS, &|_| None).unwrap();
    let plan_ms = ms(t);
    let sync_peak = PEAK.load(Ordering::Relaxed) - base;
    assert_eq!(plan.registry.canonical_state(), reg.canonical_state());
    // Storing the import's result: what making its batch costs (a copy of the registry, and
    // every record in its stored form).
    let t = Instant::now();
    let copy = plan.registry.clone();
    let clone_ms = ms(t);
    drop(copy);
    let t = Instant::now();
    let stored: usize = plan.registry.records.values().map(|r| reform_registry::storage::StoredRecord::of(r).text.len()).sum();
    let stored_ms = ms(t);
    println!(
        "bench: batch of the import ({} records, {:.1} MB stored): registry copy {clone_ms:.0} ms, stored form {stored_ms:.0} ms",
        plan.registry.records.len(),
        stored as f64 / 1_048_576.0
    );
    drop(plan);
    // The whole use case a page calls: read → checks (ownership, moves) → preview, at a new office.
    let session: Session<RefCell<Option<Registry>>, MemoryStore> = Session::new(RefCell::new(None), Rc::new(MemoryStore::default()));
    session
        .start(Registry::new("dezhou"), &Stamp::new(now + 5, day, ""), |tx| ops::setup_office(tx, &Office { name: "德州".into(), ..Default::default() }))
        .unwrap();
    let base = peak_from_here();
    let t = Instant::now();
    let preview = block_on(session.read_file(&text, now + 10)).unwrap();
    let app_ms = ms(t);
    let app_peak = PEAK.load(Ordering::Relaxed) - base;
    drop(preview);
    let mb = |b: usize| b as f64 / 1_048_576.0;
    println!(
        "bench: import memory for a {:.1} MB file: parse+merge peak {:.0} MB ({:.1}x the file); session read_file {app_ms:.0} ms ({:.1}x floor), peak {:.0} MB ({:.1}x the file)",
        mb(text.len()),
        mb(sync_peak),
        sync_peak as f64 / text.len() as f64,
        app_ms / floor_ms,
        mb(app_peak),
        app_peak as f64 / text.len() as f64
    );
    println!("bench: bundle {} bytes = {} bytes per item ({} changes)", text.len(), text.len() / N, changes_in_file);
    scoring_bench(&reg);
    println!("bench: export {export_ms:.0} ms; serde_json parse floor {floor_ms:.0} ms; bundle parse+verify {parse_ms:.0} ms ({:.1}x floor); merge into empty registry {plan_ms:.0} ms; import total {:.1}x floor", parse_ms / floor_ms, (parse_ms + plan_ms) / floor_ms);
}

/// Scoring: 200 units × 30 indicators × 12 months, and a registry-computed indicator over the
/// 10,000 items built above.
fn scoring_bench(reg: &Registry) {
    use reform_registry::domain::model::coll;
    use reform_registry::domain::scoring::{compute_month, IndicatorDef, Input, Measure, Method, MonthInputs, Plan, Subject};
    use std::collections::BTreeMap;
    let subjects: Vec<Subject> = (0..200).map(|n| Subject { id: format!("单位{n:03}"), name: format!("单位{n:03}"), group: None, group_weight: 0.0 }).collect();
    let mut indicators: Vec<IndicatorDef> = (0..29)
        .map(|n| IndicatorDef {
            id: format!("i{n}"),
            name: format!("指标{n}"),
            group: "g".into(),
            max_points: if n < 28 { 3.5 } else { 2.0 },
            method: match n % 3 {
                0 => Method::Ratio { cap: 1.2 },
                1 => Method::Rubric { levels: vec![("好".into(), 2.0), ("差".into(), 1.0)] },
                _ => Method::Deduction { per_event: 0.5 },
            },
        })
        .collect();
    for d in indicators.iter_mut().filter(|d| matches!(d.method, Method::Rubric { .. })) {
        d.method = Method::Rubric { levels: vec![("好".into(), d.max_points), ("差".into(), 1.0)] };
    }
    indicators.push(IndicatorDef {
        id: "bonus".into(),
        name: "加分".into(),
        group: "加分".into(),
        max_points: 5.0,
        method: Method::Bonus { per_event: 1.0, cap: 5.0 },
    });
    let plan = Plan {
        name: "bench".into(),
        year: 2022,
        subjects: subjects.clone(),
        indicators: indicators.clone(),
        monthly_share: 50.0,
        red_below: 60.0,
        green_from: 85.0,
    };
    // 28 × 3.5 + 2 = 100 base points.
    let mut months: Vec<MonthInputs> = vec![];
    for m in 0..12u32 {
        let mut mi = MonthInputs::new();
        for (k, s) in subjects.iter().enumerate() {
            let row: BTreeMap<String, Input> = indicators
                .iter()
                .map(|d| {
                    let v = match d.method {
                        Method::Ratio { .. } => Input::Ratio { actual: ((k + m as usize) % 13) as f64, target: 12.0 },
                        Method::Rubric { .. } => Input::Level { level: if (k + m as usize).is_multiple_of(2) { "好".into() } else { "差".into() } },
                        _ => Input::Count { n: ((k * 7 + m as usize) % 4) as f64 },
                    };
                    (d.id.clone(), v)
                })
                .collect();
            mi.insert(s.id.clone(), row);
        }
        months.push(mi);
    }
    let t = Instant::now();
    let mut prev = None;
    for (m, mi) in months.iter().enumerate() {
        let r = compute_month(&plan, mi, &[], m as u32 + 1, prev.as_deref()).unwrap();
        prev = Some(r);
    }
    println!("bench: scoring and ranking 200 units × 30 indicators × 12 months: {:.0} ms", ms(t));
    let items: Vec<(String, ReformItem)> = ops::all(reg, coll::ITEM);
    let plan2 = Plan {
        subjects: ["张店区", "淄川区", "博山区", "周村区", "临淄区", "桓台县", "高青县", "沂源县"]
            .iter()
            .map(|n| Subject { id: n.to_string(), name: n.to_string(), group: None, group_weight: 0.0 })
            .collect(),
        indicators: vec![IndicatorDef {
            id: "c".into(),
            name: "按期推进率".into(),
            group: "g".into(),
            max_points: 100.0,
            method: Method::Computed { measure: Measure::OnScheduleRate },
        }],
        ..plan
    };
    let t = Instant::now();
    let r = compute_month(&plan2, &MonthInputs::new(), &items, 7, None).unwrap();
    println!(
        "bench: registry-computed indicator over {} items for {} units: {:.1} ms (top {} {})",
        items.len(),
        r.len(),
        ms(t),
        r[0].name,
        reform_registry::domain::scoring::fmt_points(r[0].total)
    );
}
