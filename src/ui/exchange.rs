//! Exchange: export a bundle for another office, import one with a preview first.

use super::{ctx, format_time, now_ms, Route};
use crate::domain::ops;
use crate::i18n::{t, tf, K};
use crate::sync::bundle::{self, delta_base, BundleKind, ImportPlan, Party};
use crate::sync::clock::DEFAULT_MAX_DRIFT_MS;
use crate::sync::{Change, Dot};
use leptos::prelude::*;
use leptos::task::spawn_local;
use std::collections::HashMap;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

/// Lets the browser paint (e.g. "reading…") before a long synchronous step.
async fn yield_now() {
    let p = js_sys::Promise::new(&mut |res, _| {
        let _ = window().set_timeout_with_callback_and_timeout_and_arguments_0(&res, 30);
    });
    let _ = JsFuture::from(p).await;
}

fn download(name: &str, text: &str) {
    let parts = js_sys::Array::of1(&wasm_bindgen::JsValue::from_str(text));
    let opts = web_sys::BlobPropertyBag::new();
    opts.set_type("application/json;charset=utf-8");
    let Ok(blob) = web_sys::Blob::new_with_str_sequence_and_options(&parts, &opts) else { return };
    let Ok(url) = web_sys::Url::create_object_url_with_blob(&blob) else { return };
    if let Ok(a) = document().create_element("a") {
        let a: web_sys::HtmlAnchorElement = a.unchecked_into();
        a.set_href(&url);
        a.set_download(name);
        a.click();
    }
    let _ = web_sys::Url::revoke_object_url(&url);
}

#[derive(Clone)]
enum ImportState {
    Idle,
    Reading,
    Error(String),
    Preview(std::sync::Arc<ImportPlan>),
    Done(String),
}

#[component]
pub fn ExchangePage() -> impl IntoView {
    let ctx = ctx();
    let peers = Memo::new(move |_| ctx.reg.with(|r| r.as_ref().map(|r| r.peers.iter().map(|(id, p)| (id.clone(), p.clone())).collect::<Vec<_>>()).unwrap_or_default()));
    let receiver = RwSignal::new(String::new());
    let delta = RwSignal::new(false);
    let exported = RwSignal::new(None::<String>);
    let can_delta = move || { let r = receiver.get(); !r.is_empty() && ctx.reg.with(|g| g.as_ref().is_some_and(|g| g.peers.contains_key(&r))) };

    let do_export = move |_| {
        spawn_local(async move {
            let log = ctx.all_changes().await;
            let to = receiver.get_untracked();
            let (name, text, n) = ctx.reg.with_untracked(|r| {
                let r = r.as_ref().expect("ready");
                let my_name = ops::my_office(r).map(|o| o.name).unwrap_or_default();
                let party = (!to.is_empty()).then(|| Party { office: to.clone(), name: r.peers.get(&to).map(|p| p.name.clone()).unwrap_or_default() });
                let since = if delta.get_untracked() && !to.is_empty() { delta_base(r, &to) } else { None };
                let b = bundle::export(r, &my_name, party, &log, since.as_ref(), now_ms());
                (bundle::file_name(&b), bundle::to_text(&b), b.body.changes.len())
            });
            download(&name, &text);
            exported.set(Some(tf(ctx.lang.get_untracked(), K::ExExported, &[name, n.to_string()])));
        });
    };

    let state = RwSignal::new(ImportState::Idle);
    let read_file = move |file: web_sys::File| {
        state.set(ImportState::Reading);
        spawn_local(async move {
            yield_now().await;
            let lang = ctx.lang.get_untracked();
            if file.size() > bundle::MAX_BYTES as f64 {
                state.set(ImportState::Error(bundle::BundleError::TooLarge(file.size() as usize).message(lang)));
                return;
            }
            let text = match JsFuture::from(file.text()).await.ok().and_then(|v| v.as_string()) {
                Some(t) => t,
                None => return state.set(ImportState::Error(bundle::BundleError::NotJson("?".into()).message(lang))),
            };
            yield_now().await;
            let parsed = match bundle::parse(&text) {
                Ok(b) => b,
                Err(e) => return state.set(ImportState::Error(e.message(lang))),
            };
            // Changes this office already holds under the file's ids, to catch two histories.
            let mine: HashMap<Dot, Change> = {
                let held: std::collections::HashSet<&Dot> = ctx.reg.with_untracked(|r| {
                    let r = r.as_ref().expect("ready");
                    parsed.body.changes.iter().filter(|c| r.vv.contains(&c.dot)).map(|c| &c.dot).collect::<Vec<_>>()
                }).into_iter().collect();
                if held.is_empty() { HashMap::new() } else {
                    ctx.all_changes().await.into_iter().filter(|c| held.contains(&c.dot)).map(|c| (c.dot.clone(), c)).collect()
                }
            };
            yield_now().await;
            let plan = ctx.reg.with_untracked(|r| bundle::plan_import(r.as_ref().expect("ready"), &parsed, now_ms(), DEFAULT_MAX_DRIFT_MS, &|d| mine.get(d).cloned()));
            match plan {
                Ok(p) if p.is_noop() => {
                    ctx.apply_import(p); // keeps what we learnt about the sender
                    state.set(ImportState::Done(t(lang, K::ExNothingNew).into()));
                }
                Ok(p) => state.set(ImportState::Preview(std::sync::Arc::new(p))),
                Err(e) => state.set(ImportState::Error(e.message(lang))),
            }
        });
    };
    let on_pick = move |ev: leptos::ev::Event| {
        let input: web_sys::HtmlInputElement = event_target(&ev);
        if let Some(f) = input.files().and_then(|l| l.get(0)) {
            read_file(f);
        }
        input.set_value("");
    };
    let on_drop = move |ev: leptos::ev::DragEvent| {
        ev.prevent_default();
        if let Some(f) = ev.data_transfer().and_then(|d| d.files()).and_then(|l| l.get(0)) {
            read_file(f);
        }
    };
    let apply = move |_| {
        if let ImportState::Preview(p) = state.get_untracked() {
            let n = p.new_changes.len();
            ctx.apply_import((*p).clone());
            state.set(ImportState::Done(tf(ctx.lang.get_untracked(), K::ExApplied, &[n.to_string()])));
        }
    };

    let title_of = move |id: &str| ctx.reg.with_untracked(|r| r.as_ref().and_then(|r| r.records.get(id)).and_then(|x| x.value("title").or(x.value("name")).and_then(|v| v.as_str().map(str::to_string))).unwrap_or_else(|| id.to_string()));
    let preview = move |p: std::sync::Arc<ImportPlan>| {
        let lang = ctx.lang.get();
        let plan_title = |id: &str| p.registry.records.get(id).and_then(|x| x.value("title").or(x.value("name")).and_then(|v| v.as_str().map(str::to_string))).unwrap_or_else(|| title_of(id));
        view! {
            <div class="card preview" data-test="import-preview">
                <h2>{t(lang, K::ExPreview)}</h2>
                <p><strong>{tf(lang, K::ExFrom, &[p.from.name.clone(), p.from.office.clone()])}</strong>" · "
                    {t(lang, if p.kind == BundleKind::Full { K::ExKindFull } else { K::ExKindDelta })}</p>
                <p data-test="import-counts">{tf(lang, K::ExCounts, &[p.records_new.len().to_string(), p.records_changed.len().to_string(), p.records_deleted.len().to_string(), p.total_changes.to_string(), p.new_changes.len().to_string()])}</p>
                {p.own_restored.map(|n| view! { <p class="banner warn">{tf(lang, K::ExRestored, &[n.to_string()])}</p> })}
                {(!p.new_conflicts.is_empty()).then(|| view! {
                    <h3>{t(lang, K::ExConflicts)}</h3>
                    <ul data-test="import-conflicts">{p.new_conflicts.iter().map(|(id, f)| view! { <li>{plan_title(id)}" — "{super::item::field_label(lang, f)}</li> }).collect_view()}</ul>
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
            <div class="item-grid">
                <div>
                    <div class="card drop" on:dragover=move |ev: leptos::ev::DragEvent| ev.prevent_default() on:drop=on_drop>
                        <h2>{ctx.t(K::ExImport)}</h2>
                        <p class="muted">{ctx.t(K::ExImportHint)}</p>
                        <label class="button secondary file-button">{ctx.t(K::ExChoose)}
                            <input type="file" accept=".json,application/json" data-test="import-file" on:change=on_pick />
                        </label>
                        <span class="muted small">" "{ctx.t(K::ExDrop)}</span>
                    </div>
                    {move || match state.get() {
                        ImportState::Idle => ().into_any(),
                        ImportState::Reading => view! { <p class="card muted">{ctx.t(K::ExReading)}</p> }.into_any(),
                        ImportState::Error(e) => view! { <div class="banner error card-banner" role="alert" data-test="import-error">{e}</div> }.into_any(),
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
