//! Exchange: export a bundle for another office, import one with a preview first.

use super::ledger::LedgerImport;
use crate::app::exchange::{describe_rows, file_error_message, DiffKind, ExchangeError, Incoming, Preview, ReadStep, RecordDiff, Watch};
use crate::domain::labels::{field_label_in, record_name};
use crate::i18n::{t, tf, K};
use crate::sheet::read::{self as sheet_read, FileKind};
use crate::sync::bundle::{self, BundleError, BundleKind};
use crate::sync::bundle::{ImportPlan, KeyState};
use crate::sync::trust::fingerprint;
use crate::ui::{ctx, download, format_time, now_ms, yield_now, Route};
use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen_futures::JsFuture;

#[derive(Clone)]
enum ImportState {
    Idle,
    Reading,
    /// A spreadsheet (.xlsx or CSV): its own preview (`ledger::LedgerImport`).
    Sheet(String, std::sync::Arc<Vec<u8>>),
    Error(String),
    /// Refused for a key other than the registered one: a person may accept it and re-read.
    KeyChanged {
        message: String,
        office: String,
        key: String,
        files: std::sync::Arc<Vec<(String, String)>>,
    },
    Preview(std::sync::Arc<Preview>),
    Done(String),
    Cancelled,
    /// The confirmed preview is being swapped in and stored.
    Applying,
}

/// The page's progress bar and cancel button, as the application layer's watcher of a read.
#[derive(Clone, Copy)]
struct ReadWatch {
    step: RwSignal<Option<(usize, usize, ReadStep)>>,
    cancel: RwSignal<bool>,
}

impl Watch for ReadWatch {
    fn step(&self, file: usize, files: usize, step: ReadStep) {
        self.step.set(Some((file, files, step)));
    }
    fn cancelled(&self) -> bool {
        self.cancel.get_untracked()
    }
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

    let do_export = move |_| {
        spawn_local(async move {
            let to = receiver.get_untracked();
            let to = (!to.is_empty()).then_some(to);
            let lang = ctx.lang.get_untracked();
            match ctx.session().export(to.as_deref(), delta.get_untracked(), now_ms()).await {
                Ok(f) => {
                    download(&f.name, &f.text);
                    exported.set(Some(tf(lang, K::ExExported, &[f.name, f.changes.to_string()])));
                }
                Err(e) => exported.set(Some(e.message(lang))),
            }
        });
    };

    let state = RwSignal::new(ImportState::Idle);
    let watch = ReadWatch { step: RwSignal::new(None), cancel: RwSignal::new(false) };
    let names = RwSignal::new(Vec::<String>::new());
    // Reads files' texts into one preview (or a refusal naming the file), changing nothing.
    let read_texts = move |files: std::sync::Arc<Vec<(String, String)>>| {
        watch.step.set(None);
        names.set(files.iter().map(|(n, _)| n.clone()).collect());
        spawn_local(async move {
            let lang = ctx.lang.get_untracked();
            let texts: Vec<String> = files.iter().map(|(_, t)| t.clone()).collect();
            let named = |n: usize, m: String| if files.len() > 1 { tf(lang, K::ExFileError, &[files[n].0.clone(), m]) } else { m };
            let read = ctx.session().read_files_watched(&texts, now_ms(), &watch).await;
            watch.step.set(None);
            match read {
                Err((_, ExchangeError::Cancelled)) => state.set(ImportState::Cancelled),
                Ok(Incoming::NothingNew) => {
                    ctx.flush(); // keeps what we learnt about the sender
                    state.set(ImportState::Done(t(lang, K::ExNothingNew).into()));
                }
                Ok(Incoming::Preview(p)) => state.set(ImportState::Preview(std::sync::Arc::new(*p))),
                Err((n, ExchangeError::Trust { name, why: BundleError::KeyChanged { office, pinned, presented } })) => {
                    let message = ExchangeError::Trust { name, why: BundleError::KeyChanged { office: office.clone(), pinned, presented: presented.clone() } }
                        .message(lang);
                    state.set(ImportState::KeyChanged { message: named(n, message), office, key: presented, files: files.clone() });
                }
                Err((n, e)) => state.set(ImportState::Error(named(n, e.message(lang)))),
            }
        });
    };
    let accept_key = move |_| {
        if let ImportState::KeyChanged { office, key, files, .. } = state.get_untracked() {
            match ctx.session().accept_key(&office, &key, now_ms(), &ctx.operator.get_untracked()) {
                Ok(()) => {
                    ctx.flush();
                    watch.cancel.set(false);
                    state.set(ImportState::Reading);
                    read_texts(files);
                }
                Err(e) => state.set(ImportState::Error(e.message(ctx.lang.get_untracked()))),
            }
        }
    };
    let read_list = move |list: web_sys::FileList| {
        let files: Vec<web_sys::File> = (0..list.length()).filter_map(|n| list.get(n)).collect();
        if files.is_empty() {
            return;
        }
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
            let mut texts = vec![];
            for file in files {
                if file.size() > bundle::MAX_BYTES as f64 {
                    let m = file_error_message(&BundleError::TooLarge(file.size() as usize), lang);
                    return state.set(ImportState::Error(tf(lang, K::ExFileError, &[file.name(), m])));
                }
                let Some(text) = crate::ui::read_text(&file).await else {
                    let m = file_error_message(&BundleError::NotJson { line: 1, column: 1 }, lang);
                    return state.set(ImportState::Error(tf(lang, K::ExFileError, &[file.name(), m])));
                };
                texts.push((file.name(), text));
            }
            yield_now().await;
            if watch.cancel.get_untracked() {
                return state.set(ImportState::Cancelled);
            }
            read_texts(std::sync::Arc::new(texts));
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
        let ImportState::Preview(p) = state.get_untracked() else { return };
        crate::trace::mark("rr:apply-click");
        // The preview view lets go of it first, so that its registry is taken, not copied.
        state.set(ImportState::Applying);
        spawn_local(async move {
            yield_now().await;
            let lang = ctx.lang.get_untracked();
            let applied = match std::sync::Arc::try_unwrap(p) {
                Ok(p) => {
                    crate::trace::mark("rr:apply-taken");
                    ctx.session().apply_owned(p)
                }
                Err(p) => {
                    crate::trace::mark("rr:apply-copied");
                    ctx.session().apply(&p)
                }
            };
            match applied {
                Ok(n) => {
                    ctx.flush();
                    state.set(ImportState::Done(tf(lang, K::ExApplied, &[n.to_string()])));
                }
                Err(e) => state.set(ImportState::Error(e.message(lang))),
            }
        });
    };

    let title_of = move |id: &str| {
        ctx.reg
            .with_untracked(|r| r.as_ref().and_then(|r| r.records.get(id)).and_then(|x| record_name(x).map(str::to_string)).unwrap_or_else(|| id.to_string()))
    };
    let preview = move |pv: std::sync::Arc<Preview>| {
        let lang = ctx.lang.get();
        let p = &pv.plan;
        let plan_coll = |id: &str| p.registry.records.get(id).map(|x| x.coll.clone()).unwrap_or_default();
        let plan_title = |id: &str| p.registry.records.get(id).and_then(|x| record_name(x).map(str::to_string)).unwrap_or_else(|| title_of(id));
        view! {
            <div class="card preview" data-test="import-preview">
                <h2>{t(lang, K::ExPreview)}</h2>
                <p><strong>{tf(lang, K::ExFrom, &[p.from.name.clone(), p.from.office.clone()])}</strong>" · "
                    {t(lang, if p.kind == BundleKind::Full { K::ExKindFull } else { K::ExKindDelta })}</p>
                {signature(lang, p)}
                <p data-test="import-counts">{tf(lang, K::ExCounts, &[p.records_new.len().to_string(), p.records_changed.len().to_string(), p.records_deleted.len().to_string(), p.total_changes.to_string(), p.new_changes.len().to_string()])}</p>
                <RecordDiffs preview=std::sync::Arc::downgrade(&pv) lang=lang/>
                {(!p.records_deleted.is_empty()).then(|| view! {
                    <p class="banner warn" data-test="import-deleted">{tf(lang, K::ExDeletedList, &[p.records_deleted.iter().map(|id| plan_title(id)).collect::<Vec<_>>().join(crate::i18n::list_sep(lang))])}</p>
                })}
                {p.own_restored.map(|n| view! { <p class="banner warn">{tf(lang, K::ExRestored, &[n.to_string()])}</p> })}
                {(!p.new_conflicts.is_empty()).then(|| view! {
                    <h3>{t(lang, K::ExConflicts)}</h3>
                    <ul data-test="import-conflicts">{p.new_conflicts.iter().map(|(id, f)| view! { <li>{plan_title(id)}" — "{field_label_in(lang, &plan_coll(id), f)}</li> }).collect_view()}</ul>
                })}
                {(!p.possible_duplicates.is_empty()).then(|| view! {
                    <h3>{t(lang, K::ExDuplicates)}</h3>
                    <ul>{p.possible_duplicates.iter().map(|(a, _)| view! { <li>{plan_title(a)}</li> }).collect_view()}</ul>
                })}
                <div class="form-actions">
                    <button class="primary" data-test="apply-import" on:click=apply>{t(lang, K::ExApply)}</button>
                    <button class="secondary" on:click=move |_| state.set(ImportState::Idle)>{t(lang, K::Cancel)}</button>
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
                            <input type="file" multiple accept=".json,.xlsx,.xls,.csv,application/json,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" data-test="import-file" on:change=on_pick />
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
                                <button class="secondary" data-test="cancel-import" disabled=move || watch.cancel.get() on:click=move |_| watch.cancel.set(true)>{ctx.t(K::ExCancel)}</button>
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
                        <button class="primary" data-test="export" on:click=do_export>{ctx.t(K::ExDownload)}</button>
                        {move || exported.get().map(|m| view! { <p class="ok small" data-test="exported">{m}</p> })}
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
fn signature(lang: crate::i18n::Lang, p: &ImportPlan) -> impl IntoView {
    let sender = p.checked.sender.as_ref();
    let fp = sender.and_then(|s| s.key.as_deref()).map(fingerprint).unwrap_or_default();
    let (class, text) = match p.checked.sender_state() {
        KeyState::FirstUse => ("banner warn", tf(lang, K::SigFirstUse, &[fp])),
        KeyState::Known => ("ok", tf(lang, K::SigKnown, &[fp])),
        KeyState::Rotated => ("banner warn", tf(lang, K::SigRotated, &[fp])),
        KeyState::Unsigned | KeyState::Stale => ("banner warn", t(lang, K::SigUnsigned).to_string()),
    };
    let unsigned: Vec<String> = p
        .checked
        .authors
        .iter()
        .filter(|a| a.state == KeyState::Unsigned && a.office != p.registry.me && Some(&a.office) != sender.map(|s| &s.office))
        .map(|a| crate::app::keys::name_of(&p.registry, &a.office))
        .collect();
    // Other offices whose keys this file would register (their content is new here).
    let learnt: Vec<String> = p
        .checked
        .authors
        .iter()
        .filter(|a| matches!(a.state, KeyState::FirstUse | KeyState::Rotated) && Some(&a.office) != sender.map(|s| &s.office))
        .map(|a| {
            format!("{}{}", crate::app::keys::name_of(&p.registry, &a.office), crate::i18n::paren(lang, &a.key.as_deref().map(fingerprint).unwrap_or_default()))
        })
        .collect();
    view! {
        <p class=class data-test="import-signature">{text}</p>
        {(!learnt.is_empty()).then(|| view! { <p class="muted small" data-test="import-new-keys">{tf(lang, K::SigAuthorsNew, &[learnt.join(crate::i18n::list_sep(lang))])}</p> })}
        {(!unsigned.is_empty()).then(|| view! { <p class="muted small" data-test="import-unsigned">{tf(lang, K::SigAuthorsUnsigned, &[unsigned.join(crate::i18n::list_sep(lang))])}</p> })}
    }
}

/// Records a preview changes, grouped by kind of record; each with its fields old → new. Long
/// groups show their first 20, then 200 more at each click.
#[component]
fn RecordDiffs(preview: std::sync::Weak<Preview>, lang: crate::i18n::Lang) -> impl IntoView {
    // Each group shows its first rows, described when shown (a city's file brings 130,000
    // records: describing them all froze the page). The preview is held weakly: "apply" takes
    // it whole once this view is gone.
    const FIRST: usize = 20;
    const MORE: usize = 200;
    let ctx = ctx();
    let groups = preview.upgrade().map(|p| p.groups.clone()).unwrap_or_default();
    groups
        .into_iter()
        .map(|(coll, rows)| {
            let n = rows.len();
            let shown = RwSignal::new(n.min(FIRST));
            let heading = crate::domain::labels::collection_label_key(&coll).map(|k| t(lang, k).to_string()).unwrap_or(coll.clone());
            let preview = preview.clone();
            let diffs = move || -> Vec<RecordDiff> {
                let k = shown.get();
                let Some(p) = preview.upgrade() else { return vec![] };
                // Described against the registry as it is (not a copy: a city's registry is large).
                ctx.reg.with_untracked(|r| r.as_ref().map(|r| describe_rows(r, &p.plan, &rows[..k])).unwrap_or_default())
            };
            view! {
                <details class="diff-group" open=n <= FIRST data-test="diff-group">
                    <summary>{heading}" ("{n}")"</summary>
                    <ul class="diff-list">
                        {move || diffs().into_iter().map(|d| {
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
                        let left = n - shown.get();
                        (left > 0).then(|| view! {
                            <button class="secondary small" data-test="diff-more" on:click=move |_| shown.update(|k| *k = (*k + MORE).min(n))>{tf(lang, K::DiffShowMore, &[left.min(MORE).to_string(), left.to_string()])}</button>
                        })
                    }}
                </details>
            }
        })
        .collect_view()
}
