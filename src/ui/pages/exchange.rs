//! Exchange: export a bundle for another office, import one with a preview first.

use super::ledger::LedgerImport;
use crate::app::exchange::job::{Message, Reply, Request, Summary, FIRST_ROWS};
use crate::app::exchange::{file_error_message, DiffKind, ExchangeError, ReadStep, RecordDiff};
use crate::domain::labels::field_label_in;
use crate::i18n::{t, tf, K};
use crate::sheet::read::{self as sheet_read, FileKind};
use crate::sync::bundle::KeyState;
use crate::sync::bundle::{self, BundleError, BundleKind};
use crate::ui::exchange_worker::ExchangeWorker;
use crate::ui::{ctx, download, format_time, now_ms, yield_now, Route};
use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen_futures::JsFuture;

#[derive(Clone)]
enum ImportState {
    Idle,
    /// The exchange worker reads the files.
    Reading,
    /// A spreadsheet (.xlsx or CSV): its own preview (`ledger::LedgerImport`).
    Sheet(String, std::sync::Arc<Vec<u8>>),
    Error(String),
    /// Refused for a key other than the registered one: a person may accept it and re-read.
    KeyChanged {
        message: String,
        office: String,
        key: String,
    },
    Preview(std::sync::Arc<Summary>),
    Done(String),
    Cancelled,
    /// The confirmed preview is being stored (by the worker), then read back.
    Applying,
}

thread_local! {
    /// This page made the session busy for an import (the exchange worker owns storage).
    /// Kept outside the page's signals: it outlives the page when the person moves on mid-import.
    static LOCKED: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

fn lock(ctx: crate::ui::Ctx) {
    LOCKED.with(|l| l.set(true));
    ctx.session().set_busy(true);
}

fn release(ctx: crate::ui::Ctx) {
    if LOCKED.with(|l| l.replace(false)) {
        ctx.session().set_busy(false);
    }
}

/// Where the page keeps a worker (the import's, the export's, the one started ahead).
type Slot = StoredValue<Option<ExchangeWorker>, LocalStorage>;

/// The worker in `slot`, taken out (None once the page is gone).
fn take(slot: Slot) -> Option<ExchangeWorker> {
    slot.try_update_value(Option::take).flatten()
}

/// Ends `w` after the reply being handled (not inside the worker's own message handler), then
/// runs `after`.
fn end_later(w: Option<ExchangeWorker>, after: impl FnOnce() + 'static) {
    if let Some(w) = w {
        spawn_local(async move {
            yield_now().await;
            drop(w);
            after();
        });
    }
}

/// Reads the registry back after the worker may have stored into it. Only then does the page
/// write again: the registry it held before would overwrite what the worker stored. When it
/// cannot be read back, the page stays busy (refusing changes) and says why.
async fn read_back(ctx: crate::ui::Ctx) -> Result<(), String> {
    let lang = ctx.lang.get_untracked();
    match crate::ui::reload(ctx).await {
        Ok(()) => {
            release(ctx);
            Ok(())
        }
        Err(e) => {
            let m = tf(lang, K::ExReloadFailed, &[e.message(lang)]);
            ctx.save.set(crate::ui::SaveState::Failed(m.clone(), 0));
            Err(m)
        }
    }
}

/// The page's progress bar and cancel button.
#[derive(Clone, Copy)]
struct ReadWatch {
    step: RwSignal<Option<(usize, usize, ReadStep)>>,
    cancel: RwSignal<bool>,
}

#[component]
pub fn ExchangePage() -> impl IntoView {
    let ctx = ctx();
    let peers =
        Memo::new(move |_| ctx.reg.with(|r| r.as_ref().map(|r| r.peers.iter().map(|(id, p)| (id.clone(), p.clone())).collect::<Vec<_>>()).unwrap_or_default()));
    let receiver = RwSignal::new(String::new());
    let delta = RwSignal::new(false);
    let exported = RwSignal::new(None::<String>);
    let can_delta = move || {
        let r = receiver.get();
        !r.is_empty() && ctx.reg.with(|g| g.as_ref().is_some_and(|g| g.peers.contains_key(&r)))
    };

    // The file is made in the exchange worker from what is stored (a city's is 40 MB: made here,
    // it held the page for most of a second and kept its memory), after this page has stored
    // all it holds. The worker only reads: edits made meanwhile are stored as usual and go into
    // the next file. When storage cannot take what is pending (full, refused) or no worker
    // starts, the file is made here, with what is not stored: it is how the data gets out then.
    let exporting = RwSignal::new(false);
    let export_worker = StoredValue::new_local(None::<ExchangeWorker>);
    // A worker started ahead, idle until an import or export takes it, and again after each
    // (starting one takes about half a second). Ended with the page.
    let spare = StoredValue::new_local(ExchangeWorker::start());
    // A spare that failed (offline without its files, another version) is replaced.
    let take_worker = move || take(spare).filter(|w| !w.failed()).or_else(ExchangeWorker::start);
    let refill = move || {
        spare.try_update_value(|s| {
            if s.as_ref().is_none_or(|w| w.failed()) {
                *s = ExchangeWorker::start();
            }
        });
    };
    // The file made here, from memory, with what storage does not hold.
    let export_here = move |to: Option<String>, delta: bool, lang: crate::i18n::Lang| async move {
        let made = ctx.session().export(to.as_deref(), delta, now_ms()).await;
        let _ = exported.try_set(Some(match made {
            Ok(f) => {
                download(&f.name, &f.text);
                tf(lang, K::ExExported, &[f.name, f.changes.to_string()])
            }
            Err(e) => e.message(lang),
        }));
        let _ = exporting.try_set(false);
    };
    let do_export = move |_| {
        if exporting.get_untracked() {
            return;
        }
        exporting.set(true);
        exported.set(None);
        spawn_local(async move {
            let to = receiver.get_untracked();
            let to = (!to.is_empty()).then_some(to);
            let (delta, lang) = (delta.get_untracked(), ctx.lang.get_untracked());
            let stored = ctx.session().stored_for_export().await;
            // The page may have been left meanwhile (then nothing is made).
            if exporting.try_get_untracked().is_none() {
                return;
            }
            if !stored {
                return export_here(to, delta, lang).await;
            }
            let ask = Message::Export { to: to.clone(), delta, now_ms: now_ms(), lang };
            let here = to.clone();
            let on_reply = move |reply: Option<Reply>, file: Option<web_sys::Blob>| {
                end_later(take(export_worker), refill);
                let message = match (reply, file) {
                    (Some(Reply::Exported { name, changes }), Some(file)) => {
                        crate::ui::browser::save_blob(&name, &file);
                        tf(lang, K::ExExported, &[name, changes.to_string()])
                    }
                    (Some(Reply::Failed { message }), _) => message,
                    // The worker did not start or stopped: an export only reads, so it is made
                    // here instead.
                    (None, _) => return spawn_local(export_here(here.clone(), delta, lang)),
                    _ => t(lang, K::ExExportFailed).into(),
                };
                exported.set(Some(message));
                exporting.set(false);
            };
            match take_worker() {
                Some(w) => {
                    w.listen(on_reply);
                    w.send(&ask, &[]);
                    export_worker.set_value(Some(w));
                }
                None => export_here(to, delta, lang).await,
            }
        });
    };

    let state = RwSignal::new(ImportState::Idle);
    let watch = ReadWatch { step: RwSignal::new(None), cancel: RwSignal::new(false) };
    let names = RwSignal::new(Vec::<String>::new());
    // The import runs in the exchange worker (`ui::exchange_worker`), one per import: it reads
    // the files, shows a preview, and stores it on "apply"; this page then reads the registry
    // back. Meanwhile this page writes nothing (its session is busy), so storage has one
    // writer.
    let worker = StoredValue::new_local(None::<ExchangeWorker>);
    let picked = StoredValue::new_local(Vec::<web_sys::File>::new());
    let diff_rows = RwSignal::new(Vec::<Vec<RecordDiff>>::new());
    let end_worker = move || end_later(take(worker), refill);
    let release = move || release(ctx);
    // After the worker stored something: the registry is read back, then the outcome shown.
    let settle = move |outcome: ImportState| {
        spawn_local(async move {
            let read = read_back(ctx).await;
            crate::trace::mark("rr:import-settled");
            state.set(match read {
                Ok(()) => outcome,
                Err(m) => ImportState::Error(m),
            });
        });
    };
    let on_reply = move |reply: Option<Reply>, _file: Option<web_sys::Blob>| {
        let lang = ctx.lang.get_untracked();
        let named = move |n: usize, m: String| {
            let name = names.with_untracked(|v| if v.len() > 1 { v.get(n).cloned() } else { None });
            match name {
                Some(name) => tf(lang, K::ExFileError, &[name, m]),
                None => m,
            }
        };
        match reply {
            Some(Reply::Ready { .. }) => {}
            Some(Reply::Step { file, files, step }) => watch.step.set(Some((file, files, step))),
            Some(Reply::Preview(summary)) => {
                crate::trace::mark("rr:import-previewed");
                watch.step.set(None);
                diff_rows.set(summary.first_rows.clone());
                state.set(ImportState::Preview(std::sync::Arc::new(*summary)));
            }
            Some(Reply::Rows { group, rows }) => diff_rows.update(|g| {
                if let Some(g) = g.get_mut(group) {
                    *g = rows;
                }
            }),
            Some(Reply::Cancelled) => {
                end_worker();
                release();
                state.set(ImportState::Cancelled);
            }
            Some(Reply::Refused { file, message, key }) => {
                end_worker();
                release();
                state.set(match key {
                    Some((office, key)) => ImportState::KeyChanged { message: named(file, message), office, key },
                    None => ImportState::Error(named(file, message)),
                });
            }
            Some(Reply::NothingNew) => {
                end_worker();
                // What the files said of their senders is stored: read back with the registry.
                settle(ImportState::Done(t(lang, K::ExNothingNew).into()));
            }
            Some(Reply::Applied { changes }) => {
                crate::trace::mark("rr:import-stored");
                end_worker();
                settle(ImportState::Done(tf(lang, K::ExApplied, &[changes.to_string()])));
            }
            Some(Reply::Failed { message }) => {
                end_worker();
                release();
                state.set(ImportState::Error(message));
            }
            // An export's answer is no import's: heard as a worker gone wrong.
            Some(Reply::Exported { .. }) | None => {
                end_worker();
                if matches!(state.try_get_untracked(), Some(ImportState::Applying)) {
                    // Storage holds all of the file or none of it: read back to show which.
                    settle(ImportState::Error(t(lang, K::ExWorkerStopped).into()));
                } else {
                    release();
                    state.set(ImportState::Error(t(lang, K::ExWorkerFailed).into()));
                }
            }
        }
    };
    // Reads the picked files into one preview (or a refusal naming the file), changing nothing.
    let start_read = move || {
        watch.step.set(None);
        watch.cancel.set(false);
        state.set(ImportState::Reading);
        spawn_local(async move {
            let lang = ctx.lang.get_untracked();
            let session = ctx.session();
            if let Err(e) = session.writable() {
                return state.set(ImportState::Error(ExchangeError::Store(e).message(lang)));
            }
            // The worker reads the registry from storage: everything this page holds is stored first.
            match session.flush().await {
                Ok(0) => {}
                Ok(_) => return state.set(ImportState::Error(t(lang, K::ExUnsavedFirst).into())),
                Err(e) => return state.set(ImportState::Error(ExchangeError::Store(e).message(lang))),
            }
            // The page may have been left meanwhile (then nothing is started).
            match watch.cancel.try_get_untracked() {
                None => return,
                Some(true) => return state.set(ImportState::Cancelled),
                Some(false) => {}
            }
            let Some(w) = take_worker() else { return state.set(ImportState::Error(t(lang, K::ExWorkerFailed).into())) };
            w.listen(on_reply);
            lock(ctx);
            crate::trace::mark("rr:import-sent");
            w.send(&Message::Job(Request::Read { now_ms: now_ms(), lang }), &picked.get_value());
            worker.set_value(Some(w));
        });
    };
    // Leaving the page ends the worker at once. A preview is dropped; a store under way
    // finishes or not as one transaction (or a file with nothing new was noted). The registry is
    // read back before the page writes again.
    on_cleanup(move || {
        drop((take(worker), take(export_worker), take(spare)));
        if LOCKED.with(|l| l.get()) {
            spawn_local(async move {
                let _ = read_back(ctx).await;
            });
        }
    });
    let accept_key = move |_| {
        if let ImportState::KeyChanged { office, key, .. } = state.get_untracked() {
            match ctx.session().accept_key(&office, &key, now_ms(), &ctx.operator.get_untracked()) {
                Ok(()) => start_read(),
                Err(e) => state.set(ImportState::Error(e.message(ctx.lang.get_untracked()))),
            }
        }
    };
    let read_list = move |list: web_sys::FileList| {
        let files: Vec<web_sys::File> = (0..list.length()).filter_map(|n| list.get(n)).collect();
        // One import at a time: files given while one is read or stored are not taken.
        if files.is_empty() || matches!(state.get_untracked(), ImportState::Reading | ImportState::Applying) {
            return;
        }
        // A preview still open is given up for the new files.
        end_worker();
        release();
        watch.cancel.set(false);
        state.set(ImportState::Reading);
        spawn_local(async move {
            yield_now().await;
            let lang = ctx.lang.get_untracked();
            // The one 导入 control takes every kind of file: it looks at the first file's bytes.
            if let Some(first) = files.first() {
                let refuse = |k: K| state.set(ImportState::Error(tf(lang, K::ExFileError, &[first.name(), t(lang, k).into()])));
                let bytes_of = |b: &web_sys::Blob| JsFuture::from(b.array_buffer());
                // The first 4 KB tell the kind (a city's exchange file is large: not read twice).
                let Some(head) = first.slice_with_i32_and_i32(0, 4096).ok() else { return refuse(K::XlUnknownFile) };
                let Ok(head) = bytes_of(&head).await else { return refuse(K::XlUnknownFile) };
                match sheet_read::kind_of(&js_sys::Uint8Array::new(&head).to_vec(), &first.name()) {
                    FileKind::Xlsx | FileKind::Xls | FileKind::Csv if files.len() == 1 && first.size() > sheet_read::MAX_FILE_BYTES as f64 => {
                        return state.set(ImportState::Error(tf(
                            lang,
                            K::ExFileError,
                            &[
                                first.name(),
                                tf(lang, K::XlTooLarge, &[sheet_read::MAX_ROWS.to_string(), (sheet_read::MAX_FILE_BYTES / 1024 / 1024).to_string()]),
                            ],
                        )));
                    }
                    FileKind::Xlsx | FileKind::Xls | FileKind::Csv if files.len() == 1 => {
                        let Ok(all) = bytes_of(first).await else { return refuse(K::XlUnknownFile) };
                        return state.set(ImportState::Sheet(first.name(), std::sync::Arc::new(js_sys::Uint8Array::new(&all).to_vec())));
                    }
                    FileKind::Xlsx | FileKind::Xls | FileKind::Csv => return refuse(K::XlOneSheet),
                    FileKind::Backup => return refuse(K::XlIsBackup),
                    FileKind::Roster => return refuse(K::XlIsRoster),
                    FileKind::Unknown => return refuse(K::XlUnknownFile),
                    FileKind::Bundle => {}
                }
            }
            for file in &files {
                if file.size() > bundle::MAX_BYTES as f64 {
                    let m = file_error_message(&BundleError::TooLarge(file.size() as usize), lang);
                    return state.set(ImportState::Error(tf(lang, K::ExFileError, &[file.name(), m])));
                }
            }
            match watch.cancel.try_get_untracked() {
                None => return,
                Some(true) => return state.set(ImportState::Cancelled),
                Some(false) => {}
            }
            names.set(files.iter().map(|f| f.name()).collect());
            picked.set_value(files);
            start_read();
        });
    };
    let on_pick = move |ev: leptos::ev::Event| {
        let input: web_sys::HtmlInputElement = event_target(&ev);
        if let Some(l) = input.files() {
            read_list(l);
        }
        input.set_value("");
    };
    let on_drop = move |ev: leptos::ev::DragEvent| {
        ev.prevent_default();
        if let Some(l) = ev.data_transfer().and_then(|d| d.files()) {
            read_list(l);
        }
    };
    let apply = move |_| {
        let ImportState::Preview(_) = state.get_untracked() else { return };
        crate::trace::mark("rr:apply-click");
        state.set(ImportState::Applying);
        let lang = ctx.lang.get_untracked();
        // The worker stores it only if this page's registry is still the one it read.
        let base = ctx.reg.with_untracked(|r| r.as_ref().map(|r| r.vv.clone())).unwrap_or_default();
        let sent = worker.with_value(|w| w.as_ref().map(|w| w.send(&Message::Job(Request::Apply { base, lang }), &[])).is_some());
        if !sent {
            release();
            state.set(ImportState::Error(t(lang, K::ExWorkerFailed).into()));
        }
    };
    let close_preview = move |_| {
        end_worker();
        release();
        state.set(ImportState::Idle);
    };
    let more_rows = Callback::new(move |(group, upto): (usize, usize)| {
        worker.with_value(|w| {
            if let Some(w) = w {
                w.send(&Message::Job(Request::Rows { group, upto }), &[]);
            }
        })
    });
    let preview = move |p: std::sync::Arc<Summary>| {
        let lang = ctx.lang.get();
        view! {
            <div class="card preview" data-test="import-preview">
                <h2>{t(lang, K::ExPreview)}</h2>
                <p><strong>{tf(lang, K::ExFrom, &[p.from.name.clone(), p.from.office.clone()])}</strong>" · "
                    {t(lang, if p.kind == BundleKind::Full { K::ExKindFull } else { K::ExKindDelta })}</p>
                {signature(lang, &p)}
                <p data-test="import-counts">{tf(lang, K::ExCounts, &[p.records_new.to_string(), p.records_changed.to_string(), p.records_deleted.to_string(), p.total_changes.to_string(), p.new_changes.to_string()])}</p>
                <RecordDiffs groups=p.groups.clone() rows=diff_rows more=more_rows lang=lang/>
                {(!p.deleted.is_empty()).then(|| view! {
                    <p class="banner warn" data-test="import-deleted">{tf(lang, K::ExDeletedList, &[p.deleted.join(crate::i18n::list_sep(lang))])}</p>
                })}
                {p.own_restored.map(|n| view! { <p class="banner warn">{tf(lang, K::ExRestored, &[n.to_string()])}</p> })}
                {(!p.conflicts.is_empty()).then(|| view! {
                    <h3>{t(lang, K::ExConflicts)}</h3>
                    <ul data-test="import-conflicts">{p.conflicts.iter().map(|(title, coll, f)| view! { <li>{title.clone()}" — "{field_label_in(lang, coll, f)}</li> }).collect_view()}</ul>
                })}
                {(!p.duplicates.is_empty()).then(|| view! {
                    <h3>{t(lang, K::ExDuplicates)}</h3>
                    <ul>{p.duplicates.iter().map(|a| view! { <li>{a.clone()}</li> }).collect_view()}</ul>
                })}
                <div class="form-actions">
                    <button class="primary" data-test="apply-import" on:click=apply>{t(lang, K::ExApply)}</button>
                    <button class="secondary" on:click=close_preview>{t(lang, K::Cancel)}</button>
                </div>
            </div>
        }
    };

    view! {
        <section class="exchange-page">
            <h1 class="sr-only">{ctx.t(K::NavExchange)}</h1>
            <div class="item-grid">
                <div>
                    <div class="card drop" on:dragover=move |ev: leptos::ev::DragEvent| ev.prevent_default() on:drop=on_drop>
                        <h2>{ctx.t(K::ExImport)}</h2>
                        <p class="muted">{ctx.t(K::ExImportHint)}</p>
                        <label class="button secondary file-button">{ctx.t(K::ExChoose)}
                            <input type="file" multiple accept=".json,.xlsx,.xls,.csv,application/json,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" data-test="import-file" prop:disabled=move || matches!(state.get(), ImportState::Reading | ImportState::Applying) on:change=on_pick />
                        </label>
                        <span class="muted small">" "{ctx.t(K::ExDrop)}</span>
                    </div>
                    {move || match state.get() {
                        ImportState::Idle => ().into_any(),
                        ImportState::Reading => view! {
                            <div class="card reading" role="status" data-test="import-reading">
                                <p class="muted">{ctx.t(K::ExReading)}</p>
                                {move || watch.step.get().map(|(file, files, step)| {
                                    let lang = ctx.lang.get();
                                    let name = names.with(|n| n.get(file).cloned().unwrap_or_default());
                                    view! {
                                        <progress data-test="import-progress" max=(files * ReadStep::COUNT).to_string() value=(file * ReadStep::COUNT + step.index()).to_string()></progress>
                                        <p class="small">{tf(lang, K::ExReadingFile, &[(file + 1).to_string(), files.to_string(), name])}" · "{t(lang, step.label())}</p>
                                    }
                                })}
                                <button class="secondary" data-test="cancel-import" disabled=move || watch.cancel.get() on:click=move |_| {
                                    watch.cancel.set(true);
                                    worker.with_value(|w| if let Some(w) = w { w.send(&Message::Job(Request::Cancel), &[]) });
                                }>{ctx.t(K::ExCancel)}</button>
                            </div>
                        }.into_any(),
                        ImportState::Applying => view! { <p class="card muted" role="status">{ctx.t(K::ExApplying)}</p> }.into_any(),
                        ImportState::Cancelled => view! { <p class="banner card-banner" role="status" data-test="import-cancelled">{ctx.t(K::ExCancelled)}</p> }.into_any(),
                        ImportState::Sheet(name, bytes) => view! { <LedgerImport name=name bytes=bytes on_close=Callback::new(move |_| state.set(ImportState::Idle))/> }.into_any(),
                        ImportState::Error(e) => view! { <div class="banner error card-banner" role="alert" data-test="import-error">{e}</div> }.into_any(),
                        ImportState::KeyChanged { message, .. } => view! {
                            <div class="banner error card-banner" role="alert" data-test="import-error">{message}
                                <div class="form-actions"><button class="secondary" data-test="accept-key" on:click=accept_key>{ctx.t(K::ExAcceptKey)}</button></div>
                            </div>
                        }.into_any(),
                        ImportState::Done(m) => view! {
                            <div class="banner ok-banner" role="status" data-test="import-done">{m}
                                {move || ctx.reg.with(|r| r.as_ref().is_some_and(|r| !r.open_conflicts().is_empty())).then(|| view! { " " <a href=Route::Conflicts.href()>{ctx.t(K::NavConflicts)}" →"</a> })}
                            </div>
                        }.into_any(),
                        ImportState::Preview(p) => preview(p).into_any(),
                    }}
                </div>
                <div class="side">
                    <div class="card">
                        <h2>{ctx.t(K::ExExport)}</h2>
                        <p class="muted small">{ctx.t(K::ExExportHint)}</p>
                        <label class="field"><span class="label">{ctx.t(K::ExReceiver)}</span>
                            <select name="receiver" on:change=move |ev| { receiver.set(event_target_value(&ev)); if !can_delta() { delta.set(false) } }>
                                <option value="">{ctx.t(K::ExAnyOffice)}</option>
                                {move || peers.get().into_iter().map(|(id, p)| view! { <option value=id.clone()>{if p.name.is_empty() { id.clone() } else { p.name.clone() }}</option> }).collect_view()}
                            </select>
                        </label>
                        <div class="radios">
                            <label class="check"><input type="radio" name="kind" prop:checked=move || !delta.get() on:change=move |_| delta.set(false) />{ctx.t(K::ExFull)}</label>
                            <label class="check"><input type="radio" name="kind" data-test="export-delta" prop:disabled=move || !can_delta() prop:checked=move || delta.get() on:change=move |_| delta.set(true) />{ctx.t(K::ExDelta)}</label>
                        </div>
                        {move || (!receiver.get().is_empty() && !can_delta()).then(|| view! { <p class="muted small">{ctx.t(K::ExDeltaUnavailable)}</p> })}
                        <button class="primary" data-test="export" on:click=do_export prop:disabled=move || exporting.get()>{ctx.t(K::ExDownload)}</button>
                        {move || exporting.get().then(|| view! {
                            <p class="small" role="status" data-test="exporting"><progress class="bar" aria-label=ctx.t(K::ExExporting)></progress>" "{ctx.t(K::ExExporting)}</p>
                        })}
                        {move || exported.get().map(|m| view! { <p class="ok small" role="status" data-test="exported">{m}</p> })}
                    </div>
                    <div class="card">
                        <h2>{ctx.t(K::ExPeers)}</h2>
                        <p class="small"><a href=Route::Known.href() data-test="to-known">{ctx.t(K::NavKnown)}" →"</a></p>
                        {move || peers.with(|p| p.is_empty()).then(|| view! { <p class="muted small">{ctx.t(K::None_)}</p> })}
                        <table class="table compact"><tbody>
                            {move || peers.get().into_iter().map(|(id, p)| view! {
                                <tr><td>{p.name}<br/><code class="muted small">{id}</code></td><td class="small">{ctx.t(K::ExLastImport)}<br/>{format_time(p.last_import_ms)}</td></tr>
                            }).collect_view()}
                        </tbody></table>
                    </div>
                </div>
            </div>
        </section>
    }
}

/// What the file's signatures say, in words: the sender's key against the registered one, and
/// any office whose content came unsigned.
fn signature(lang: crate::i18n::Lang, p: &Summary) -> impl IntoView {
    let fp = p.fingerprint.clone();
    let (class, text) = match p.sender_state {
        KeyState::FirstUse => ("banner warn", tf(lang, K::SigFirstUse, &[fp])),
        KeyState::Known => ("ok", tf(lang, K::SigKnown, &[fp])),
        KeyState::Rotated => ("banner warn", tf(lang, K::SigRotated, &[fp])),
        KeyState::Unsigned | KeyState::Stale => ("banner warn", t(lang, K::SigUnsigned).to_string()),
    };
    // Other offices whose keys this file would register (their content is new here).
    let learnt: Vec<String> = p.new_keys.iter().map(|(name, fp)| format!("{name}{}", crate::i18n::paren(lang, fp))).collect();
    let unsigned = p.unsigned.clone();
    view! {
        <p class=class data-test="import-signature">{text}</p>
        {(!learnt.is_empty()).then(|| view! { <p class="muted small" data-test="import-new-keys">{tf(lang, K::SigAuthorsNew, &[learnt.join(crate::i18n::list_sep(lang))])}</p> })}
        {(!unsigned.is_empty()).then(|| view! { <p class="muted small" data-test="import-unsigned">{tf(lang, K::SigAuthorsUnsigned, &[unsigned.join(crate::i18n::list_sep(lang))])}</p> })}
    }
}

/// Records a preview changes, grouped by kind of record; each with its fields old → new. Long
/// groups show their first 20, then 200 more at each click (described by the worker, which
/// holds the preview: a city's file brings 130,000 records).
#[component]
fn RecordDiffs(groups: Vec<(String, usize)>, rows: RwSignal<Vec<Vec<RecordDiff>>>, more: Callback<(usize, usize)>, lang: crate::i18n::Lang) -> impl IntoView {
    const MORE: usize = 200;
    groups
        .into_iter()
        .enumerate()
        .map(|(g, (coll, n))| {
            let heading = crate::domain::labels::collection_label_key(&coll).map(|k| t(lang, k).to_string()).unwrap_or(coll.clone());
            let shown = move || rows.with(|r| r.get(g).map(Vec::len).unwrap_or(0));
            view! {
                <details class="diff-group" open=n <= FIRST_ROWS data-test="diff-group">
                    <summary>{heading}" ("{n}")"</summary>
                    <ul class="diff-list">
                        {move || rows.with(|r| r.get(g).cloned().unwrap_or_default()).into_iter().map(|d| {
                            let (badge, k) = match d.kind { DiffKind::New => ("diff-new", K::DiffNew), DiffKind::Changed => ("diff-changed", K::DiffChanged), DiffKind::Deleted => ("diff-deleted", K::DiffDeleted) };
                            let coll = d.coll.clone();
                            view! {
                                <li data-test="diff-record"><span class=format!("diff-badge {badge}")>{t(lang, k)}</span>" "<strong>{d.name.clone()}</strong>
                                    {(!d.fields.is_empty() && d.kind == DiffKind::Changed).then(|| view! {
                                        <ul class="diff-fields">{d.fields.iter().map(|(f, o, n)| {
                                            let o = if o.is_empty() { t(lang, K::DiffEmpty).to_string() } else { o.clone() };
                                            view! { <li data-test="diff-field">{crate::domain::labels::field_label_in(lang, &coll, f)}{crate::i18n::colon(lang)}<del>{o}</del>" → "<ins>{n.clone()}</ins></li> }
                                        }).collect_view()}</ul>
                                    })}
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                    {move || {
                        let left = n.saturating_sub(shown());
                        (left > 0).then(|| view! {
                            <button class="secondary small" data-test="diff-more" on:click=move |_| more.run((g, (shown() + MORE).min(n)))>{tf(lang, K::DiffShowMore, &[left.min(MORE).to_string(), left.to_string()])}</button>
                        })
                    }}
                </details>
            }
        })
        .collect_view()
}
