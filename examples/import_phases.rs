//! The import of one exchange file, natively, phase by phase (the marks the browser benchmark
//! reads from the worker), so that a change to one phase can be measured and profiled without a
//! browser: `cargo run --release --example import_phases -- FILE [RUNS]` (make FILE with
//! `examples/city`). Each run imports the file into a new office and prints every phase's time.

use reform_registry::app::Session;
use reform_registry::domain::ops;
use reform_registry::domain::tx::Stamp;
use reform_registry::domain::Office;
use reform_registry::storage::memory::MemoryStore;
use reform_registry::storage::{block_on, StoredRecord};
use reform_registry::sync::Registry;
use std::cell::RefCell;
use std::rc::Rc;
use std::time::Instant;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let Some(file) = args.get(1) else {
        eprintln!("usage: import_phases FILE [RUNS]");
        std::process::exit(2);
    };
    let runs: usize = args.get(2).and_then(|s| s.parse().ok()).unwrap_or(1);
    let text = std::fs::read_to_string(file).expect("the file reads");
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).expect("clock").as_millis() as i64;
    let day = chrono::DateTime::from_timestamp_millis(now).expect("date").date_naive();
    let t = Instant::now();
    let floor: serde_json::Value = serde_json::from_str(&text).expect("JSON");
    let floor_ms = t.elapsed().as_secs_f64() * 1000.0;
    drop(floor);
    println!("import_phases: {:.1} MB; serde_json::Value parse {floor_ms:.0} ms", text.len() as f64 / 1_048_576.0);
    for run in 1..=runs {
        let session: Session<RefCell<Option<Registry>>, MemoryStore> = Session::new(RefCell::new(None), Rc::new(MemoryStore::default()));
        session
            .start(Registry::new("dezhou"), &Stamp::new(now, day, ""), |tx| ops::setup_office(tx, &Office { name: "德州".into(), ..Default::default() }))
            .expect("set-up");
        reform_registry::trace::take_marks();
        let start = Instant::now();
        let preview = match block_on(session.read_file(&text, now + 10)).expect("the file reads") {
            reform_registry::app::exchange::Incoming::Preview(p) => p,
            _ => panic!("nothing new in the file"),
        };
        let mut marks = reform_registry::trace::take_marks();
        let t = Instant::now();
        let records: Vec<String> = preview.plan.records_new.iter().chain(&preview.plan.records_changed).cloned().collect();
        let stored: usize = records.iter().filter_map(|id| preview.plan.registry.records.get(id)).map(|r| StoredRecord::of(r).text.len()).sum();
        marks.push(("stored form".into(), Instant::now()));
        let stored_ms = t.elapsed().as_secs_f64() * 1000.0;
        let mut line = format!("run {run}:");
        let mut last = start;
        for (name, at) in &marks {
            line.push_str(&format!(" {}={:.0}", name.trim_start_matches("rr:"), (*at - last).as_secs_f64() * 1000.0));
            last = *at;
        }
        let total = (last - start).as_secs_f64() * 1000.0;
        println!(
            "import_phases: {line}; total {total:.0} ms ({:.1}x the Value parse; stored form of {} records, {:.1} MB, {stored_ms:.0} ms)",
            total / floor_ms,
            records.len(),
            stored as f64 / 1_048_576.0
        );
    }
}
