//! The app's frame: start-up (open storage, load the registry), header, navigation, the save
//! indicator, and the screen the route names.

use super::context::{ctx, Ctx, Phase, SaveState, DB_NAME, PREF_LANG, PREF_OFFICE, PREF_OPERATOR};
use super::pages;
use super::route::Route;
use super::{hold_tab_lock, random_seed};
use crate::i18n::{t, tf, Lang, K};
use crate::storage::idb::IdbStore;
use gloo_storage::{LocalStorage, Storage};
use leptos::prelude::*;
use leptos::task::spawn_local;

async fn request_persistence() -> Option<bool> {
    let sm = window().navigator().storage();
    let p = sm.persist().ok()?;
    wasm_bindgen_futures::JsFuture::from(p).await.ok()?.as_bool()
}

thread_local! {
    /// Which load is the latest: a read-only tab's first load may finish after the load it
    /// started on taking over, and must not put the older registry back.
    static LOADS: std::cell::Cell<u32> = const { std::cell::Cell::new(0) };
}

/// Loads the stored registry into the session (or asks for set-up). A tab that holds the lock
/// also brings an older registry's key and chains up to date, saved at once. Taking over, the
/// tab stays read-only (and says so) until what the other tab saved is loaded.
/// Starts a load: true while it is the latest one.
fn next_load() -> impl Fn() -> bool + Copy {
    let turn = LOADS.with(|n| {
        n.set(n.get() + 1);
        n.get()
    });
    move || LOADS.with(|n| n.get()) == turn
}

async fn load(ctx: Ctx, take_over: bool) {
    let latest = next_load();
    let writable = move || {
        if take_over {
            ctx.session().set_read_only(false);
        }
    };
    let shown_writable = move || {
        if take_over {
            ctx.read_only.set(false);
        }
    };
    let lang = ctx.lang.get_untracked();
    let session = ctx.session();
    // Only the tab holding the registry moves an earlier layout (`IdbStore::upgrade`).
    let holds = take_over || !session.is_read_only();
    let loaded = match session.store.as_ref() {
        Some(db) => match if holds { db.upgrade().await } else { Ok(()) } {
            Ok(()) => db.load_current(|done, total| ctx.loading.set(Some((done, total)))).await,
            Err(e) => Err(e),
        },
        None => Err(crate::storage::StoreError::Missing),
    };
    ctx.loading.set(None);
    if !latest() {
        return;
    }
    match loaded {
        Ok(Some(reg)) => {
            if !type_items(&reg, latest).await {
                return;
            }
            crate::trace::mark("rr:load-typed");
            writable();
            // Changes wait for the history (read next, after the first screen is drawn).
            ctx.whole.set(false);
            session.await_history();
            let opened = session.open(reg, random_seed()).await;
            if let Err(e) = &opened {
                ctx.save.set(SaveState::Failed(tf(lang, K::ErrStorageOpen, &[e.message(lang)]), 0));
            }
            crate::trace::mark("rr:opened");
            shown_writable();
            ctx.phase.set(Phase::Ready);
            crate::trace::mark("rr:rendered");
            super::browser::after_paint().await;
            crate::trace::mark("rr:painted");
            join_history(ctx, latest, opened.is_ok()).await;
        }
        Ok(None) => {
            writable();
            whole(ctx);
            shown_writable();
            ctx.phase.set(Phase::Setup);
        }
        Err(e) => {
            writable();
            whole(ctx);
            shown_writable();
            ctx.save.set(SaveState::Failed(tf(lang, K::ErrStorageOpen, &[e.message(lang)]), 0));
            ctx.phase.set(Phase::Setup);
        }
    }
}

/// The items as typed values (every first screen reads them), made in parts with pauses before
/// the first screen is drawn: a city's 10,000 took 250 ms in one task. False when a later load
/// has begun meanwhile (this one is dropped).
async fn type_items(reg: &crate::sync::Registry, latest: impl Fn() -> bool) -> bool {
    use crate::domain::{model::coll::ITEM, ops, ReformItem};
    let ids = reg.records.ids_of(ITEM);
    let mut made = Vec::with_capacity(ids.len());
    for part in ids.chunks(1000) {
        made.extend(ops::typed_part::<ReformItem>(reg, part));
        crate::storage::idb::pause_ms(0).await;
    }
    if !latest() {
        return false;
    }
    ops::put_all_shared(reg, ITEM, made);
    true
}

/// Reads the history after the first screen is drawn and joins it to the registry shown; until
/// then the session refuses changes. `flush`: what opening the registry touched is stored after.
async fn join_history(ctx: Ctx, latest: impl Fn() -> bool, flush: bool) {
    let lang = ctx.lang.get_untracked();
    let session = ctx.session();
    let history = match session.store.as_ref() {
        Some(db) => db.load_history().await,
        None => Err(crate::storage::StoreError::Missing),
    };
    if !latest() {
        return;
    }
    match history {
        Ok(h) => {
            // Three tasks, not one: the history joined to the registry (the list's rows are
            // worked out again), then the month's figures that wait for it. A city's took
            // 200 ms in a single task.
            crate::storage::idb::pause_ms(0).await;
            if !latest() {
                return;
            }
            session.absorb_history(h);
            crate::trace::mark("rr:history-absorbed");
            crate::storage::idb::pause_ms(0).await;
            if !latest() {
                return;
            }
            ctx.whole.set(true);
            if flush {
                ctx.flush();
            }
        }
        // As when the registry cannot be read at all: nothing of it is shown or changed, and
        // set-up (with restore from a backup) is offered.
        Err(e) => {
            ctx.reg.set(None);
            whole(ctx);
            ctx.save.set(SaveState::Failed(tf(lang, K::ErrStorageOpen, &[e.message(lang)]), 0));
            ctx.phase.set(Phase::Setup);
        }
    }
}

/// Reads the whole registry back from storage, after the exchange worker stored an import into
/// it, and shows it in place of the one held (the screens stay as they are: no first-screen
/// steps). The history is read here too, not after: the screen on show (a form being typed
/// into) would be replaced by the "history loading" notice until it came, and lose what was
/// typed. Nothing is pending here by then: the page stored all it held before the import.
pub async fn reload(ctx: Ctx) -> Result<(), crate::storage::StoreError> {
    use crate::storage::StoreError;
    let latest = next_load();
    let session = ctx.session();
    let Some(db) = session.store.as_ref() else { return Err(StoreError::Missing) };
    let reg = db.load_with(|_, _| {}).await?.ok_or(StoreError::Missing)?;
    crate::trace::mark("rr:reload-read");
    if !type_items(&reg, latest).await {
        return Ok(());
    }
    session.open(reg, random_seed()).await?;
    crate::trace::mark("rr:reloaded");
    ctx.flush();
    Ok(())
}

/// No history to wait for (nothing stored, or storage unreadable): a load begun earlier may
/// have left the session waiting.
fn whole(ctx: Ctx) {
    ctx.session().absorb_history(crate::sync::Records::default());
    ctx.whole.set(true);
}

#[component]
pub fn App() -> impl IntoView {
    let lang: Lang = LocalStorage::get(PREF_LANG).unwrap_or_default();
    let reg = RwSignal::new(None);
    let ctx = Ctx {
        lang: RwSignal::new(lang),
        reg,
        phase: RwSignal::new(Phase::Loading),
        route: RwSignal::new(Route::parse(&window().location().hash().unwrap_or_default())),
        save: RwSignal::new(SaveState::Saved),
        saved_tick: RwSignal::new(0),
        operator: RwSignal::new(LocalStorage::get(PREF_OPERATOR).unwrap_or_default()),
        storage_ok: RwSignal::new(true),
        read_only: RwSignal::new(false),
        persisted: RwSignal::new(None),
        loading: RwSignal::new(None),
        whole: RwSignal::new(true),
        printing: RwSignal::new(false),
        derived: super::context::Derived::new(reg),
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
    // The app shell's office name for the next start (only once the registry is in, so a
    // loading screen does not blank it). Through a memo: the registry changes with every edit,
    // the name almost never, and only a new name is written.
    let office = Memo::new(move |_| (ctx.phase.get() == Phase::Ready).then(|| ctx.my_office_name()));
    Effect::new(move |_| {
        if let Some(name) = office.get() {
            let _ = LocalStorage::set(PREF_OFFICE, name);
        }
    });
    // A new screen starts at the top (otherwise a long form leaves the next page scrolled down).
    Effect::new(move |_| {
        ctx.route.track();
        ctx.derived.refresh_day();
        window().scroll_to_with_x_and_y(0.0, 0.0);
    });
    // Closing the tab mid-save would abort the transaction: ask first while writes are pending.
    let _unload = window_event_listener(leptos::ev::beforeunload, move |ev| {
        if ctx.unsaved() {
            ev.prevent_default();
            ev.set_return_value(t(ctx.lang.get_untracked(), K::NotSaved));
        }
    });
    // On paper a paged table shows all its rows (`Ctx::printing`).
    let _before_print = leptos::prelude::window_event_listener_untyped("beforeprint", move |_| ctx.printing.set(true));
    let _after_print = leptos::prelude::window_event_listener_untyped("afterprint", move |_| ctx.printing.set(false));
    let _hash = window_event_listener(leptos::ev::hashchange, move |_| {
        ctx.route.set(Route::parse(&window().location().hash().unwrap_or_default()));
    });

    spawn_local(async move {
        let lang = ctx.lang.get_untracked();
        match IdbStore::connect(DB_NAME).await {
            Ok(store) => {
                ctx.open_session(Some(store));
                // One tab writes; a second one only shows, until the first closes (then it
                // reloads what the first saved and takes over). No writes until the lock's answer;
                // the banner only once the answer is no (it flashed on every start before).
                ctx.session().set_read_only(true);
                let first = std::rc::Rc::new(std::cell::Cell::new(true));
                hold_tab_lock(move |held| {
                    // Shown at once either way; loaded again when this tab takes over, and
                    // writable once that load is in.
                    if !held {
                        ctx.session().set_read_only(true);
                        ctx.read_only.set(true);
                        spawn_local(load(ctx, false));
                    } else if first.get() {
                        ctx.session().set_read_only(false);
                        ctx.read_only.set(false);
                        spawn_local(load(ctx, false));
                    } else {
                        spawn_local(load(ctx, true));
                    }
                    first.set(false);
                });
            }
            Err(e) => {
                ctx.open_session(None);
                ctx.storage_ok.set(false);
                ctx.save.set(SaveState::Failed(tf(lang, K::ErrStorageOpen, &[e.message(lang)]), 0));
                ctx.phase.set(Phase::Setup);
            }
        }
        ctx.persisted.set(request_persistence().await);
    });

    // 跳到正文: the first Tab stop passes over the header's twelve links. The route lives in the
    // hash, so the link moves focus itself instead of jumping to `#main`.
    let skip = move |ev: leptos::ev::MouseEvent| {
        ev.prevent_default();
        if let Some(main) = web_sys::window().and_then(|w| w.document()).and_then(|d| d.get_element_by_id("main")) {
            use wasm_bindgen::JsCast;
            if let Ok(main) = main.dyn_into::<web_sys::HtmlElement>() {
                let _ = main.focus();
            }
        }
    };
    view! {
        <a class="skip-link no-print" href="#main" data-test="skip-link" on:click=skip>{move || ctx.t(K::SkipToContent)}</a>
        <Header/>
        <main class="main" id="main" tabindex="-1">
            {move || match ctx.phase.get() {
                Phase::Loading => view! {
                    <p class="loading" role="status">{ctx.t(K::Loading)}
                        {move || ctx.loading.get().map(|(done, total)| view! {
                            " "<progress max=total.to_string() value=done.to_string()></progress>
                            " "{tf(ctx.lang.get(), K::LoadingShare, &[(done * 100 / total.max(1)).to_string()])}
                        })}
                    </p>
                }.into_any(),
                Phase::Setup => view! { <pages::setup::SetupPage/> }.into_any(),
                Phase::Ready => view! { <Routed/> }.into_any(),
            }}
        </main>
        <footer class="footer">{ctx.t(K::Footer)}" · "{move || ctx.reg.with(|r| r.as_ref().map(|r| r.office().to_string()).unwrap_or_default())}</footer>
    }
}

#[component]
fn Routed() -> impl IntoView {
    let ctx = ctx();
    // Until the history is in, only the list is drawn: every other screen reads it. (A memo, so
    // that the list is not drawn again when the history comes.)
    let shown = Memo::new(move |_| {
        let r = ctx.route.get();
        (r == Route::List || ctx.whole.get()).then_some(r)
    });
    move || match shown.get() {
        None => view! { <p class="loading" role="status" data-test="history-loading">{ctx.t(K::HistoryLoading)}</p> }.into_any(),
        Some(route) => match route {
            Route::List => view! { <pages::list::ListPage/> }.into_any(),
            Route::NewItem => view! { <pages::item::ItemForm id=None/> }.into_any(),
            Route::Item(id) => view! { <pages::item::ItemPage id=id/> }.into_any(),
            Route::EditItem(id) => view! { <pages::item::ItemForm id=Some(id)/> }.into_any(),
            Route::Org => view! { <pages::org::OrgPage/> }.into_any(),
            Route::Settings => view! { <pages::settings::SettingsPage/> }.into_any(),
            Route::Exchange => view! { <pages::exchange::ExchangePage/> }.into_any(),
            Route::Known => view! { <pages::known::KnownPage/> }.into_any(),
            Route::Trash => view! { <pages::trash::TrashPage/> }.into_any(),
            Route::Conflicts => view! { <pages::conflicts::ConflictsPage/> }.into_any(),
            Route::Scoring => view! { <pages::scoring::ScoringPage/> }.into_any(),
            Route::Dispatch => view! { <pages::monthly::DispatchPage/> }.into_any(),
            Route::Supervision => view! { <pages::monthly::SupervisionPage/> }.into_any(),
            Route::Notice(id) => view! { <pages::monthly::NoticePage id=id/> }.into_any(),
            Route::Bulletin => view! { <pages::monthly::BulletinPage/> }.into_any(),
            Route::Reviews => view! { <pages::review::ReviewsPage/> }.into_any(),
            Route::AcceptanceReport(id) => view! { <pages::review::AcceptanceReport id=id/> }.into_any(),
        },
    }
}

#[component]
fn Header() -> impl IntoView {
    let ctx = ctx();
    let office = move || ctx.my_office_name();
    let nav = move |r: Route, k: K| {
        let active = {
            let r = r.clone();
            move || match (&r, ctx.route.get()) {
                (Route::List, Route::Item(_) | Route::EditItem(_) | Route::NewItem | Route::List) => true,
                (Route::Supervision, Route::Notice(_)) => true,
                (Route::Exchange, Route::Known) => true,
                (Route::List, Route::Trash) => true,
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
                    // Conflicting reports are in the history: counted once it is in.
                    let n = if ctx.whole.get() { ctx.reg.with(|r| r.as_ref().map(|r| r.open_conflicts().len()).unwrap_or(0)) } else { 0 };
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
        {move || ctx.read_only.get().then(|| view! { <div class="banner warn" role="status" data-test="read-only-tab">{ctx.t(K::ErrReadOnlyTab)}</div> })}
        {move || {
            let due = ready() && ctx.route.get() != Route::Settings && ctx.reg.with(|r| r.as_ref().is_some_and(|r| crate::app::backup::due(r, super::now_ms())));
            due.then(|| view! { <div class="banner warn" role="status" data-test="backup-due">{ctx.t(K::BkDue)}" " <a href="#/settings">{ctx.t(K::BkDueAction)}" →"</a></div> })
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
