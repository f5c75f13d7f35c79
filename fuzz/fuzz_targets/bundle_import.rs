//! Fuzzes the bundle parser and importer: any input must either be refused or imported whole,
//! never panic, and a refusal must leave the registry untouched.
//! Run: `cargo +nightly fuzz run bundle_import` from the repo root (needs cargo-fuzz).
#![no_main]

use libfuzzer_sys::fuzz_target;
use reform_registry::sync::bundle::{parse, plan_import};
use reform_registry::sync::clock::DEFAULT_MAX_DRIFT_MS;
use reform_registry::sync::Registry;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let mut reg = Registry::new("fuzzoffice");
    reg.make_change(1_700_000_000_000, "item", "own", vec![("title".into(), serde_json::json!("本机"))], "");
    let before = reg.clone();
    if let Ok(bundle) = parse(text, reform_registry::domain::model::coll::ALL) {
        match plan_import(&reg, &bundle, 1_700_000_000_000, DEFAULT_MAX_DRIFT_MS, &|_| None) {
            Ok(plan) => assert!(plan.registry.vv.covers(&before.vv)),
            Err(e) => {
                let _ = e.message(reform_registry::i18n::Lang::Zh);
            }
        }
    }
    assert_eq!(reg, before);
});
