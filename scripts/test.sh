#!/usr/bin/env bash
# Runs every test: native core tests, browser tests of the storage layer (wasm-bindgen-test in
# headless Chromium), the release build with its download size, and the end-to-end flows
# (Playwright + Debian's Chromium). Installs whatever is missing first.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
"$ROOT/scripts/setup.sh"
source "$ROOT/scripts/env.sh"
cd "$ROOT"
step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

step "format and lints (rustfmt; clippy native and wasm32 with warnings as errors)"
cargo fmt --check
cargo clippy --release --quiet --all-targets -- -D warnings
(
  wasm_env
  if [ "$MODE" = rustup ]; then
    cargo clippy --quiet --target wasm32-unknown-unknown --lib --bins -- -D warnings
  else
    # Debian's rustc-web ships no clippy: the browser-only code is held to rustc's own lints.
    RUSTFLAGS="${CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS} -D warnings" cargo check --quiet --target wasm32-unknown-unknown --lib --bins
  fi
)

step "native core tests (cargo test; the action property test prints its case count)"
cargo test --release --quiet -- --nocapture

step "benchmark: 10,000 items (figures only, no timing assertions)"
cargo run --release --quiet --example bench

step "browser storage tests (wasm-bindgen-test, headless Chromium)"
(
  wasm_env
  export CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner
  export CHROMEDRIVER=/usr/bin/chromedriver
  export WASM_BINDGEN_TEST_TIMEOUT=180 WASM_BINDGEN_TEST_DRIVER_TIMEOUT=60
  cargo test --target wasm32-unknown-unknown --test browser_storage
)

step "release build (opt-level z, LTO, wasm-opt; exchange worker at opt-level 3) and first-visit size"
(
  wasm_env
  trunk build --release --offline --public-url ./
)
"$ROOT/scripts/size-report.sh" dist

step "Lighthouse, first visit on simulated mobile (scores and metrics only)"
TOOLS_DIR="$ROOT/tools" DIST_DIR="$ROOT/dist" node scripts/lighthouse.mjs

step "end-to-end flows (Playwright, Chromium)"
# Spreadsheet fixtures (a realistic 台账 as .xlsx, GBK CSV, BOM CSV) and the independent reader
# the tests check exported files with.
cargo build --release --quiet --example sheet_tool
./target/release/examples/sheet_tool fixtures tests/e2e/out/fixtures
# City-sized exchange files (the interrupted-import flow and the browser benchmark).
cargo build --release --quiet --example city
TOOLS_DIR="$ROOT/tools" DIST_DIR="$ROOT/dist" SHEET_TOOL="$ROOT/target/release/examples/sheet_tool" FIXTURES="$ROOT/tests/e2e/out/fixtures" \
  CITY_TOOL="$ROOT/target/release/examples/city" node --test --test-concurrency=1 tests/e2e/

step "browser benchmark, quick mode (1,000 items against 10; figures and ratios only)"
# The full run for issue 16 is `node scripts/bench-browser.mjs 10000` (see README).
TOOLS_DIR="$ROOT/tools" DIST_DIR="$ROOT/dist" node scripts/bench-browser.mjs 1000
