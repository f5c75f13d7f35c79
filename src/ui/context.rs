//! The state every screen shares, and the one way a screen changes the registry: `Ctx::act`
//! (and the exchange calls), which go through the application layer's session.

use super::browser::{now_ms, today};
use super::route::Route;
use crate::app::{Holder, Session};
use crate::domain::tx::{Stamp, Tx};
use crate::domain::DomainError;
use crate::i18n::{t, tf, Lang, K};
use crate::storage::idb::IdbStore;
use crate::sync::Registry;
use leptos::prelude::*;
use leptos::task::spawn_local;
use std::cell::RefCell;
use std::rc::Rc;

pub const DB_NAME: &str = crate::storage::idb::DB_NAME;
pub const PREF_LANG: &str = "reform-registry.lang";
pub const PREF_OPERATOR: &str = "reform-registry.operator";
/// The office's name, kept for the app shell in index.html (public/boot.js shows it before the
/// wasm has arrived).
pub const PREF_OFFICE: &str = "reform-registry.office";

/// The registry lives in a signal so that screens re-render when it changes.
impl Holder for RwSignal<Option<Registry>> {
    fn read<R>(&self, f: impl FnOnce(&Registry) -> R) -> Option<R> {
        self.with_untracked(|r| r.as_ref().map(f))
    }
    fn write<R>(&self, f: impl FnOnce(&mut Registry) -> R) -> Option<R> {
        let mut out = None;
        self.update(|r| out = r.as_mut().map(f));
        out
    }
    fn replace(&self, reg: Registry) {
        self.set(Some(reg));
    }
}

/// The browser's session: the registry signal over IndexedDB (absent when it cannot be opened).
pub type UiSession = Session<RwSignal<Option<Registry>>, Option<IdbStore>>;

thread_local! {
    static SESSION: RefCell<Option<UiSession>> = const { RefCell::new(None) };
}

#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Phase {
    Loading,
    Setup,
    Ready,
}

#[derive(Clone, Debug, PartialEq)]
pub enum SaveState {
    Saved,
    Saving,
    /// Storage refused; the message says why; `n` changes are kept in memory.
    Failed(String, usize),
}

/// All UI state, as copyable signals shared through context.
#[derive(Clone, Copy)]
pub struct Ctx {
    pub lang: RwSignal<Lang>,
    pub reg: RwSignal<Option<Registry>>,
    pub phase: RwSignal<Phase>,
    pub route: RwSignal<Route>,
    pub save: RwSignal<SaveState>,
    /// Bumped after every confirmed write, so views that read storage refresh.
    pub saved_tick: RwSignal<u64>,
    pub operator: RwSignal<String>,
    pub storage_ok: RwSignal<bool>,
    /// Another tab holds the registry: this one only shows it.
    pub read_only: RwSignal<bool>,
    pub persisted: RwSignal<Option<bool>>,
    /// Parts read so far and in all while the registry loads (a city's takes a second).
    pub loading: RwSignal<Option<(usize, usize)>>,
    /// False from start-up until the history (`storage::DEFERRED`) is read in: until then only
    /// the list is shown (every other screen reads it) and changes are refused.
    pub whole: RwSignal<bool>,
    /// The browser is printing: a table shown a page at a time (the registry list, the month's
    /// dispatch) puts every row on paper. A printed 台账 that stopped at the screen's 200th row,
    /// without a word of it, was a wrong document.
    pub printing: RwSignal<bool>,
    pub derived: Derived,
}

/// Views of the whole registry that screens share, worked out when first read and kept until the
/// registry (or the day) changes: going back to the list no longer works out 10,000 rows again.
#[derive(Clone, Copy)]
pub struct Derived {
    /// The user's calendar day, brought up to date as they move between screens.
    pub day: RwSignal<chrono::NaiveDate>,
    pub item_rows: Memo<std::sync::Arc<Vec<crate::domain::ops::ItemRow>>>,
    /// This month's dispatch rows, shared by the dashboard's figures and 月度调度 (a city's
    /// month is 10,000 rows: worked out once per change of the registry, not per screen).
    pub month_rows: Memo<std::sync::Arc<Vec<crate::domain::monthly::DispatchRow>>>,
    /// This month's figures (the start page's dashboard).
    pub month_summary: Memo<Option<std::sync::Arc<crate::domain::monthly::MonthSummary>>>,
}

impl Derived {
    pub fn new(reg: RwSignal<Option<Registry>>) -> Self {
        use crate::domain::monthly as mc;
        let day = RwSignal::new(today());
        let item_rows = Memo::new(move |_| {
            let d = day.get();
            crate::trace::mark("rr:list-rows");
            let rows = reg.with(|r| r.as_ref().map(|r| crate::domain::ops::item_rows(r, d)).unwrap_or_default());
            crate::trace::mark("rr:list-rows-made");
            std::sync::Arc::new(rows)
        });
        let month_rows = Memo::new(move |_| {
            let d = day.get();
            crate::trace::mark("rr:month-rows");
            let rows = reg.with(|r| r.as_ref().map(|r| mc::dispatch_rows(r, mc::Month::of(d), d, mc::rules(r).risk_days)).unwrap_or_default());
            crate::trace::mark("rr:month-rows-made");
            std::sync::Arc::new(rows)
        });
        let month_summary = Memo::new(move |_| {
            let m = mc::Month::of(day.get());
            let rows = month_rows.get();
            crate::trace::mark("rr:summary");
            let s = reg.with(|r| r.as_ref().map(|r| std::sync::Arc::new(mc::summary_of_rows(r, m, &rows))));
            crate::trace::mark("rr:summary-made");
            s
        });
        Derived { day, item_rows, month_rows, month_summary }
    }

    /// Moves the day on when the date has changed (a tab left open overnight).
    pub fn refresh_day(&self) {
        let d = today();
        if self.day.get_untracked() != d {
            self.day.set(d);
        }
    }
}

impl Ctx {
    pub fn t(self, k: K) -> impl Fn() -> &'static str + Copy + Send + Sync + 'static {
        move || t(self.lang.get(), k)
    }

    pub fn err(self, e: &DomainError) -> String {
        e.message(self.lang.get_untracked())
    }

    pub fn go(self, r: Route) {
        let _ = window().location().set_hash(&r.href());
        self.route.set(r);
    }

    /// Opens the session over the store (or over none when the browser refused one).
    pub fn open_session(self, store: Option<IdbStore>) {
        let s = Session::new(self.reg, Rc::new(store));
        SESSION.with(|x| *x.borrow_mut() = Some(s));
    }

    pub fn session(self) -> UiSession {
        SESSION.with(|x| x.borrow().clone()).unwrap_or_else(|| Session::new(self.reg, Rc::new(None)))
    }

    /// Who acts and when, for the action about to run.
    pub fn stamp(self) -> Stamp {
        Stamp::new(now_ms(), today(), &self.operator.get_untracked())
    }

    /// Runs a user action (one transaction) and stores what it changed. A refused action
    /// changes nothing; its error is returned for display where it was typed.
    pub fn act<T>(self, action: impl FnOnce(&mut Tx) -> Result<T, DomainError>) -> Result<T, DomainError> {
        let v = self.session().act(&self.stamp(), action)?;
        self.flush();
        Ok(v)
    }

    /// Starts a new office's registry (set-up, demo) with its first action.
    pub fn start<T>(self, reg: Registry, action: impl FnOnce(&mut Tx) -> Result<T, DomainError>) -> Result<T, DomainError> {
        let v = self.session().start(reg, &self.stamp(), action)?;
        self.flush();
        Ok(v)
    }

    /// Writes pending changes; on failure they stay pending (and in memory) and the user is told.
    pub fn flush(self) {
        let s = self.session();
        if s.pending.borrow().is_empty() {
            return;
        }
        self.save.set(SaveState::Saving);
        spawn_local(async move {
            match s.flush().await {
                Ok(left) => {
                    self.save.set(if left == 0 { SaveState::Saved } else { SaveState::Saving });
                    self.saved_tick.update(|n| *n += 1);
                }
                Err(e) => {
                    let lang = self.lang.get_untracked();
                    let msg = if matches!(
                        e,
                        crate::storage::StoreError::Missing
                            | crate::storage::StoreError::ReadOnly
                            | crate::storage::StoreError::Busy
                            | crate::storage::StoreError::Loading
                    ) {
                        e.message(lang)
                    } else {
                        tf(lang, K::ErrStorage, &[e.message(lang)])
                    };
                    self.save.set(SaveState::Failed(msg, s.pending_len()));
                }
            }
        });
    }

    /// True while some change is not yet confirmed by storage.
    pub fn unsaved(self) -> bool {
        self.session().pending_len() > 0 || self.save.get_untracked() == SaveState::Saving
    }

    /// This office's name (tracked): the header, print heads.
    pub fn my_office_name(self) -> String {
        self.reg.with(|r| r.as_ref().and_then(crate::domain::ops::my_office).map(|o| o.name).unwrap_or_default())
    }

    /// A readable name for an office id: its own record, what it called itself in a file, or the id.
    pub fn office_name(self, id: &str) -> String {
        self.reg.with_untracked(|r| r.as_ref().map(|r| crate::domain::ops::office_name(r, id)).unwrap_or_else(|| id.to_string()))
    }
}

pub fn ctx() -> Ctx {
    expect_context::<Ctx>()
}
