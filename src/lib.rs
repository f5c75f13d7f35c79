//! 改革台账 (Reform Registry).
//!
//! `domain`, `sync`, `app` and `storage::memory` are plain Rust, tested natively.
//! `storage::idb` and `ui` are the browser side, compiled for wasm32 only.
pub mod app;
pub mod domain;
pub mod i18n;
pub mod storage;
pub mod sync;

#[cfg(target_arch = "wasm32")]
pub mod ui;
