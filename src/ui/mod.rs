//! The browser UI. Screens render state and call the application layer (`crate::app`) through
//! `Ctx`; they hold no rules of their own.

mod browser;
mod chart;
mod context;
mod dialog;
mod exchange_worker;
mod format;
mod pages;
mod paging;
mod print;
mod route;
pub(crate) mod sheets;
mod shell;

pub use browser::{download, hold_tab_lock, new_registry, now_ms, random_seed, random_suffix, storage_estimate, today, yield_now};
pub use chart::{Bar, BarList};
pub use context::{ctx, Ctx, Phase, SaveState, DB_NAME};
pub use dialog::ConfirmDialog;
pub use format::{format_time, parse_day, status_class};
pub use paging::Paging;
pub use print::PrintHead;
pub use route::Route;
pub(crate) use shell::reload;

pub fn mount() {
    if let Some(boot) = leptos::prelude::document().get_element_by_id("boot") {
        boot.remove();
    }
    leptos::mount::mount_to_body(shell::App);
}
