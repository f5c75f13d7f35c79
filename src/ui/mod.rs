//! The browser UI. Components read the registry through signals and call `domain::ops`;
//! they hold no rules of their own.

mod conflicts;
mod exchange;
mod item;
mod list;
mod monthly;
mod org;
mod review;
mod scoring;
mod settings;
mod setup;

use crate::domain::ops;
use crate::domain::DomainError;
use crate::i18n::{t, tf, Lang, K};
use crate::storage::idb::IdbStore;
use crate::storage::{Pending, Store};
use crate::sync::{Change, Registry};
use chrono::NaiveDate;
use gloo_storage::{LocalStorage, Storage};
use leptos::prelude::*;
use leptos::task::spawn_local;
use std::cell::RefCell;
use std::rc::Rc;

pub const DB_NAME: &str = "reform-registry";
const PREF_LANG: &str = "reform-registry.lang";
const PREF_OPERATOR: &str = "reform-registry.operator";

thread_local! {
    static STORE: RefCell<Option<Rc<IdbStore>>> = const { RefCell::new(None) };
    static PENDING: RefCell<Pending> = RefCell::new(Pending::default());
}

#[derive(Clone, Debug, PartialEq)]
pub enum Route {
    List,
    NewItem,
    Item(String),
    EditItem(String),
    Org,
    Settings,
    Exchange,
    Conflicts,
    Scoring,
    Dispatch,
    Supervision,
    Notice(String),
    Bulletin,
    Reviews,
    AcceptanceReport(String),
}

impl Route {
    fn parse(hash: &str) -> Route {
        let h = hash.trim_start_matches('#').trim_start_matches('/');
        let h = js_sys::decode_uri_component(h).ok().and_then(|s| s.as_string()).unwrap_or_else(|| h.to_string());
        let parts: Vec<&str> = h.split('/').collect();
        match parts.as_slice() {
            ["new"] => Route::NewItem,
            ["item", id] => Route::Item(id.to_string()),
            ["item", id, "edit"] => Route::EditItem(id.to_string()),
            ["org"] => Route::Org,
            ["settings"] => Route::Settings,
            ["exchange"] => Route::Exchange,
            ["conflicts"] => Route::Conflicts,
            ["scoring"] => Route::Scoring,
            ["dispatch"] => Route::Dispatch,
            ["supervision"] => Route::Supervision,
            ["notice", id] => Route::Notice(id.to_string()),
            ["bulletin"] => Route::Bulletin,
            ["reviews"] => Route::Reviews,
            ["acceptance", id] => Route::AcceptanceReport(id.to_string()),
            _ => Route::List,
        }
    }

    pub fn href(&self) -> String {
        match self {
            Route::List => "#/".into(),
            Route::NewItem => "#/new".into(),
            Route::Item(id) => format!("#/item/{id}"),
            Route::EditItem(id) => format!("#/item/{id}/edit"),
            Route::Org => "#/org".into(),
            Route::Settings => "#/settings".into(),
            Route::Exchange => "#/exchange".into(),
            Route::Conflicts => "#/conflicts".into(),
            Route::Scoring => "#/scoring".into(),
            Route::Dispatch => "#/dispatch".into(),
            Route::Supervision => "#/supervision".into(),
            Route::Notice(id) => format!("#/notice/{id}"),
            Route::Bulletin => "#/bulletin".into(),
            Route::Reviews => "#/reviews".into(),
            Route::AcceptanceReport(id) => format!("#/acceptance/{id}"),
        }
    }
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
    pub persisted: RwSignal<Option<bool>>,
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

    /// Runs a user action on the registry and stores its changes (one transaction).
    /// On a refused action nothing changes and the error is returned for display.
    pub fn act<T>(self, f: impl FnOnce(&mut Registry) -> Result<(T, Vec<Change>), DomainError>) -> Result<T, DomainError> {
        let mut out = None;
        self.reg.update(|r| {
            if let Some(r) = r.as_mut() {
                out = Some(f(r));
            }
        });
        let (v, changes) = out.unwrap_or_else(|| Err(DomainError::new(K::ErrNoSuchRecord).arg("registry")))?;
        if !changes.is_empty() {
            PENDING.with(|p| p.borrow_mut().add(&changes));
            self.flush();
        }
        Ok(v)
    }

    /// Writes pending changes; on failure they stay pending (and in memory) and the user is told.
    pub fn flush(self) {
        let Some(store) = STORE.with(|s| s.borrow().clone()) else {
            let n = PENDING.with(|p| p.borrow().len());
            self.save.set(SaveState::Failed(t(self.lang.get_untracked(), K::StorageUnavailable).to_string(), n));
            return;
        };
        let batch = self.reg.with_untracked(|r| r.as_ref().map(|r| PENDING.with(|p| p.borrow().batch(r))));
        let nothing = PENDING.with(|p| p.borrow().is_empty());
        let Some(batch) = batch.filter(|_| !nothing) else { return };
        self.save.set(SaveState::Saving);
        spawn_local(async move {
            match store.commit(&batch).await {
                Ok(()) => {
                    PENDING.with(|p| p.borrow_mut().confirm(&batch));
                    let left = PENDING.with(|p| p.borrow().len());
                    self.save.set(if left == 0 { SaveState::Saved } else { SaveState::Saving });
                    self.saved_tick.update(|n| *n += 1);
                }
                Err(e) => {
                    let lang = self.lang.get_untracked();
                    let n = PENDING.with(|p| p.borrow().len());
                    self.save.set(SaveState::Failed(tf(lang, K::ErrStorage, &[e.message(lang)]), n));
                }
            }
        });
    }

    /// Swaps in an import's merged registry and stores its new changes in one transaction.
    pub fn apply_import(self, plan: crate::sync::bundle::ImportPlan) {
        PENDING.with(|p| {
            let mut p = p.borrow_mut();
            p.add(&plan.new_changes);
            p.touch_meta();
        });
        self.reg.set(Some(plan.registry));
        self.flush();
    }

    /// Every change this office holds: the stored log plus what is not yet stored.
    pub async fn all_changes(self) -> Vec<Change> {
        let mut all = match self.store() {
            Some(s) => s.all_changes().await.unwrap_or_default(),
            None => vec![],
        };
        let pending = self.reg.with_untracked(|r| r.as_ref().map(|r| PENDING.with(|p| p.borrow().batch(r).changes)).unwrap_or_default());
        all.extend(pending);
        all
    }

    /// A readable name for an office id: its own record, what it called itself in a file, or the id.
    pub fn office_name(self, id: &str) -> String {
        self.reg.with_untracked(|r| {
            let Some(r) = r.as_ref() else { return id.to_string() };
            r.get_live(id)
                .filter(|rec| rec.coll == crate::domain::model::coll::OFFICE)
                .map(|rec| crate::domain::model::from_record::<crate::domain::Office>(rec).name)
                .or_else(|| r.peers.get(id).map(|p| p.name.clone()))
                .filter(|n| !n.is_empty())
                .unwrap_or_else(|| id.to_string())
        })
    }

    pub fn store(self) -> Option<Rc<IdbStore>> {
        STORE.with(|s| s.borrow().clone())
    }

    /// Changes not yet confirmed by storage, for views that show history.
    pub fn pending_for(self, record: &str) -> Vec<Change> {
        PENDING.with(|p| p.borrow().changes_for(record))
    }
}

pub fn ctx() -> Ctx {
    expect_context::<Ctx>()
}

pub fn now_ms() -> i64 {
    js_sys::Date::now() as i64
}

pub fn today() -> NaiveDate {
    let d = js_sys::Date::new_0();
    NaiveDate::from_ymd_opt(d.get_full_year() as i32, d.get_month() + 1, d.get_date()).unwrap_or_default()
}

/// A date from an `<input type="date">` (always YYYY-MM-DD); None when empty or invalid.
pub fn parse_day(s: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d").ok()
}

/// A new office id from the browser's random source: 16 base32 characters (80 bits).
pub fn new_office_id() -> String {
    const A: &[u8] = b"abcdefghijkmnpqrstuvwxyz23456789";
    (0..16).map(|_| A[(js_sys::Math::random() * A.len() as f64) as usize % A.len()] as char).collect()
}

pub fn format_time(ms: i64) -> String {
    let d = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(ms as f64));
    format!("{:04}-{:02}-{:02} {:02}:{:02}", d.get_full_year(), d.get_month() + 1, d.get_date(), d.get_hours(), d.get_minutes())
}

pub fn mount() {
    if let Some(boot) = document().get_element_by_id("boot") {
        boot.remove();
    }
    mount_to_body(App);
}

async fn request_persistence() -> Option<bool> {
    let sm = window().navigator().storage();
    let p = sm.persist().ok()?;
    wasm_bindgen_futures::JsFuture::from(p).await.ok()?.as_bool()
}

#[component]
fn App() -> impl IntoView {
    let lang: Lang = LocalStorage::get(PREF_LANG).unwrap_or_default();
    let ctx = Ctx {
        lang: RwSignal::new(lang),
        reg: RwSignal::new(None),
        phase: RwSignal::new(Phase::Loading),
        route: RwSignal::new(Route::parse(&window().location().hash().unwrap_or_default())),
        save: RwSignal::new(SaveState::Saved),
        saved_tick: RwSignal::new(0),
        operator: RwSignal::new(LocalStorage::get(PREF_OPERATOR).unwrap_or_default()),
        storage_ok: RwSignal::new(true),
        persisted: RwSignal::new(None),
    };
    provide_context(ctx);

    Effect::new(move |_| {
        let l = ctx.lang.get();
        let _ = LocalStorage::set(PREF_LANG, l);
        if let Some(html) = document().document_element() {
            let _ = html.set_attribute("lang", if l == Lang::Zh { "zh-CN" } else { "en" });
        }
        document().set_title(t(l, K::AppTitle));
    });
    Effect::new(move |_| {
        let _ = LocalStorage::set(PREF_OPERATOR, ctx.operator.get());
    });
    // A new screen starts at the top (otherwise a long form leaves the next page scrolled down).
    Effect::new(move |_| {
        ctx.route.track();
        window().scroll_to_with_x_and_y(0.0, 0.0);
    });
    // Closing the tab mid-save would abort the transaction: ask first while writes are pending.
    let _unload = window_event_listener(leptos::ev::beforeunload, move |ev| {
        let pending = PENDING.with(|p| !p.borrow().is_empty());
        if pending || ctx.save.get_untracked() == SaveState::Saving {
            ev.prevent_default();
            ev.set_return_value(t(ctx.lang.get_untracked(), K::NotSaved));
        }
    });
    let _hash = window_event_listener(leptos::ev::hashchange, move |_| {
        ctx.route.set(Route::parse(&window().location().hash().unwrap_or_default()));
    });

    spawn_local(async move {
        match IdbStore::open(DB_NAME).await {
            Ok(store) => {
                let loaded = store.load().await;
                STORE.with(|s| *s.borrow_mut() = Some(Rc::new(store)));
                match loaded {
                    Ok(Some(reg)) => {
                        ctx.reg.set(Some(reg));
                        ctx.phase.set(Phase::Ready);
                    }
                    Ok(None) => ctx.phase.set(Phase::Setup),
                    Err(e) => {
                        let lang = ctx.lang.get_untracked();
                        ctx.save.set(SaveState::Failed(tf(lang, K::ErrStorageOpen, &[e.message(lang)]), 0));
                        ctx.phase.set(Phase::Setup);
                    }
                }
            }
            Err(e) => {
                ctx.storage_ok.set(false);
                let lang = ctx.lang.get_untracked();
                ctx.save.set(SaveState::Failed(tf(lang, K::ErrStorageOpen, &[e.message(lang)]), 0));
                ctx.phase.set(Phase::Setup);
            }
        }
        ctx.persisted.set(request_persistence().await);
    });

    view! {
        <Header/>
        <main class="main">
            {move || match ctx.phase.get() {
                Phase::Loading => view! { <p class="loading">{ctx.t(K::Loading)}</p> }.into_any(),
                Phase::Setup => view! { <setup::SetupPage/> }.into_any(),
                Phase::Ready => view! { <Routed/> }.into_any(),
            }}
        </main>
        <footer class="footer">{ctx.t(K::Footer)}" · "{move || ctx.reg.with(|r| r.as_ref().map(|r| r.me.clone()).unwrap_or_default())}</footer>
    }
}

#[component]
fn Routed() -> impl IntoView {
    let ctx = ctx();
    move || match ctx.route.get() {
        Route::List => view! { <list::ListPage/> }.into_any(),
        Route::NewItem => view! { <item::ItemForm id=None/> }.into_any(),
        Route::Item(id) => view! { <item::ItemPage id=id/> }.into_any(),
        Route::EditItem(id) => view! { <item::ItemForm id=Some(id)/> }.into_any(),
        Route::Org => view! { <org::OrgPage/> }.into_any(),
        Route::Settings => view! { <settings::SettingsPage/> }.into_any(),
        Route::Exchange => view! { <exchange::ExchangePage/> }.into_any(),
        Route::Conflicts => view! { <conflicts::ConflictsPage/> }.into_any(),
        Route::Scoring => view! { <scoring::ScoringPage/> }.into_any(),
        Route::Dispatch => view! { <monthly::DispatchPage/> }.into_any(),
        Route::Supervision => view! { <monthly::SupervisionPage/> }.into_any(),
        Route::Notice(id) => view! { <monthly::NoticePage id=id/> }.into_any(),
        Route::Bulletin => view! { <monthly::BulletinPage/> }.into_any(),
        Route::Reviews => view! { <review::ReviewsPage/> }.into_any(),
        Route::AcceptanceReport(id) => view! { <review::AcceptanceReport id=id/> }.into_any(),
    }
}

#[component]
fn Header() -> impl IntoView {
    let ctx = ctx();
    let office = move || ctx.reg.with(|r| r.as_ref().and_then(ops::my_office).map(|o| o.name).unwrap_or_default());
    let nav = move |r: Route, k: K| {
        let active = {
            let r = r.clone();
            move || match (&r, ctx.route.get()) {
                (Route::List, Route::Item(_) | Route::EditItem(_) | Route::NewItem | Route::List) => true,
                (Route::Supervision, Route::Notice(_)) => true,
                (a, b) => *a == b,
            }
        };
        view! { <a class="nav-link" class:active=active href=r.href()>{ctx.t(k)}</a> }
    };
    let ready = move || ctx.phase.get() == Phase::Ready;
    view! {
        <header class="header">
            <div class="brand">
                <span class="logo">"改"</span>
                <span class="brand-name">{ctx.t(K::AppTitle)}</span>
                <span class="brand-office">{office}</span>
            </div>
            <nav class="nav" class:hidden=move || !ready()>
                {nav(Route::List, K::NavRegistry)}
                {nav(Route::Dispatch, K::NavDispatch)}
                {nav(Route::Supervision, K::NavSupervision)}
                {nav(Route::Scoring, K::NavScoring)}
                {nav(Route::Reviews, K::NavReviews)}
                {nav(Route::Bulletin, K::NavBulletin)}
                {nav(Route::Exchange, K::NavExchange)}
                {move || {
                    let n = ctx.reg.with(|r| r.as_ref().map(|r| r.open_conflicts().len()).unwrap_or(0));
                    (n > 0).then(|| view! { <a class="nav-link conflicts-link" class:active=move || ctx.route.get() == Route::Conflicts href=Route::Conflicts.href() data-test="nav-conflicts">{ctx.t(K::NavConflicts)}<span class="count-badge">{n}</span></a> })
                }}
                {nav(Route::Org, K::NavOrg)}
                {nav(Route::Settings, K::NavSettings)}
            </nav>
            <div class="header-right">
                <SaveIndicator/>
                <button class="lang" on:click=move |_| ctx.lang.update(|l| *l = if *l == Lang::Zh { Lang::En } else { Lang::Zh })>
                    {ctx.t(K::LangSwitch)}
                </button>
            </div>
        </header>
        {move || match ctx.save.get() {
            SaveState::Failed(msg, _) => view! { <div class="banner error" role="alert" data-test="storage-error">{msg}</div> }.into_any(),
            _ => ().into_any(),
        }}
    }
}

#[component]
fn SaveIndicator() -> impl IntoView {
    let ctx = ctx();
    move || match ctx.save.get() {
        SaveState::Saved => view! { <span class="save ok">"✓ "{ctx.t(K::Saved)}</span> }.into_any(),
        SaveState::Saving => view! { <span class="save">"…"</span> }.into_any(),
        SaveState::Failed(_, n) => view! { <span class="save bad">"⚠ "{ctx.t(K::NotSaved)}" ("{n}")"</span> }.into_any(),
    }
}

/// The badge colour class for a status.
pub fn status_class(s: crate::domain::Status) -> &'static str {
    use crate::domain::Status::*;
    match s {
        Proposed | RiskReviewed => "st-plan",
        Approved | InProgress => "st-run",
        Completed | Accepted => "st-done",
        AwaitingDeployment | Suspended => "st-wait",
        Terminated => "st-stop",
    }
}
