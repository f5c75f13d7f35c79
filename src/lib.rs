//! 改革台账 (Reform Registry).
//!
//! `domain`, `sync`, `app` and `storage::memory` are plain Rust, tested natively.
//! `storage::idb` and `ui` are the browser side, compiled for wasm32 only.
pub mod app;
pub mod domain;
pub mod i18n;
pub mod order;
pub mod sheet;
pub mod storage;
pub mod sync;
pub mod trace;

#[cfg(target_arch = "wasm32")]
pub mod ui;

/// Runs a property test and prints how many cases passed, so a test run shows how much each
/// property exercised. Failures are kept beside `source_file` (`*.regressions`) and replayed.
#[cfg(all(test, not(target_arch = "wasm32")))]
pub(crate) fn check_property<S: proptest::strategy::Strategy>(
    name: &str,
    source_file: &'static str,
    cases: u32,
    strategy: S,
    test: impl Fn(S::Value) -> Result<(), proptest::test_runner::TestCaseError>,
) {
    use proptest::test_runner::{Config, FileFailurePersistence, TestRunner};
    let config = Config {
        cases,
        source_file: Some(source_file),
        failure_persistence: Some(Box::new(FileFailurePersistence::WithSource("regressions"))),
        ..Config::default()
    };
    let passed = std::cell::Cell::new(0u32);
    let result = TestRunner::new(config).run(&strategy, |v| {
        test(v)?;
        passed.set(passed.get() + 1);
        Ok(())
    });
    println!("property {name}: {} cases passed", passed.get());
    if let Err(e) = result {
        panic!("property {name} failed: {e}");
    }
}
