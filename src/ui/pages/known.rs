//! 已知机构: this office's fingerprint, every office whose key is registered here and how, key
//! rosters, and replacing this office's key. The rules live in `app::keys`.

use crate::app::keys::{known_offices, my_fingerprint, KeyStanding};
use crate::i18n::{t, tf, K};
use crate::sync::trust::How;
use crate::ui::ConfirmDialog;
use crate::ui::{ctx, download, format_time, now_ms, random_seed};
use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen_futures::JsFuture;

#[component]
pub fn KnownPage() -> impl IntoView {
    let ctx = ctx();
    let rows = Memo::new(move |_| ctx.reg.with(|r| r.as_ref().map(known_offices).unwrap_or_default()));
    let mine = Memo::new(move |_| ctx.reg.with(|r| r.as_ref().and_then(my_fingerprint)));
    let msg = RwSignal::new(None::<(bool, String)>);

    let export_roster = move |_| {
        let lang = ctx.lang.get_untracked();
        match ctx.session().export_roster(now_ms()) {
            Ok(f) => {
                download(&f.name, &f.text);
                msg.set(Some((true, tf(lang, K::KnownRosterExported, &[f.name, f.changes.to_string()]))));
            }
            Err(e) => msg.set(Some((false, e.message(lang)))),
        }
    };
    let import_roster = move |ev: leptos::ev::Event| {
        let input: web_sys::HtmlInputElement = event_target(&ev);
        let Some(file) = input.files().and_then(|l| l.get(0)) else { return };
        input.set_value("");
        spawn_local(async move {
            let lang = ctx.lang.get_untracked();
            let text = JsFuture::from(file.text()).await.ok().and_then(|v| v.as_string()).unwrap_or_default();
            match ctx.session().import_roster(&text, now_ms()) {
                Ok(n) => {
                    ctx.flush();
                    msg.set(Some((true, tf(lang, K::KnownRosterDone, &[n.to_string()]))));
                }
                Err(e) => msg.set(Some((false, e.message(lang)))),
            }
        });
    };
    let asking_rotate = RwSignal::new(false);
    let rotate = Callback::new(move |()| {
        let lang = ctx.lang.get_untracked();
        match ctx.session().rotate_key(random_seed(), now_ms()) {
            Ok(fp) => {
                ctx.flush();
                msg.set(Some((true, tf(lang, K::KnownRotated, &[fp]))));
            }
            Err(e) => msg.set(Some((false, e.message(lang)))),
        }
    });

    let standing = move |s: &KeyStanding| {
        let lang = ctx.lang.get();
        match s {
            KeyStanding::Unsigned => t(lang, K::KnownStUnsigned).to_string(),
            KeyStanding::FirstUse => t(lang, K::KnownStFirstUse).to_string(),
            KeyStanding::Roster(by) => tf(lang, K::KnownStRoster, std::slice::from_ref(by)),
            KeyStanding::Accepted => t(lang, K::KnownStAccepted).to_string(),
            KeyStanding::Rotated => t(lang, K::KnownStRotated).to_string(),
        }
    };
    let how = move |h: &How| {
        ctx.t(match h {
            How::FirstUse => K::KnownHowFirstUse,
            How::Accepted => K::KnownHowAccepted,
            How::Rotation => K::KnownHowRotation,
            How::Roster(_) => K::KnownHowRoster,
        })()
    };

    view! {
        <section class="known-page">
            <div class="card">
                <h1>{ctx.t(K::KnownTitle)}</h1>
                <p class="muted">{ctx.t(K::KnownIntro)}</p>
                <div class="fingerprint-box">
                    <span class="label">{ctx.t(K::KnownMine)}</span>
                    {move || match mine.get() {
                        Some(fp) => view! { <strong class="fingerprint" data-test="my-fingerprint">{fp}</strong> }.into_any(),
                        None => view! { <span class="muted">{ctx.t(K::KnownNoKey)}</span> }.into_any(),
                    }}
                    <span class="muted small">{ctx.t(K::KnownMineHint)}</span>
                </div>
                {move || msg.get().map(|(ok, m)| view! { <p class:ok=ok class:field-error=!ok role="status" data-test="known-message">{m}</p> })}
            </div>
            <div class="card">
                {move || rows.with(|r| r.is_empty()).then(|| view! { <p class="muted">{ctx.t(K::KnownNone)}</p> })}
                <table class="table" data-test="known-offices">
                    <thead><tr>
                        <th scope="col">{ctx.t(K::KnownColOffice)}</th>
                        <th scope="col">{ctx.t(K::KnownColFingerprint)}</th>
                        <th scope="col">{ctx.t(K::KnownColFirst)}</th>
                        <th scope="col">{ctx.t(K::KnownColLast)}</th>
                        <th scope="col">{ctx.t(K::KnownColState)}</th>
                    </tr></thead>
                    <tbody>
                        {move || rows.get().into_iter().map(|k| {
                            let history = k.history.clone();
                            view! {
                                <tr data-test="known-office">
                                    <td>{k.name.clone()}<br/><code class="muted small">{k.office.clone()}</code></td>
                                    <td><span class="fingerprint">{k.fingerprint.clone().unwrap_or_else(|| "—".into())}</span></td>
                                    <td class="small">{format_time(k.first_seen_ms)}</td>
                                    <td class="small">{if k.last_file_ms > 0 { format_time(k.last_file_ms) } else { ctx.t(K::KnownNever)().to_string() }}</td>
                                    <td class="small">{standing(&k.standing)}
                                        {(!history.is_empty()).then(|| view! {
                                            <details><summary>{ctx.t(K::KnownHistory)}</summary>
                                                <ul class="small">{history.iter().map(|e| {
                                                    let who = if e.by.is_empty() { crate::sync::trust::fingerprint(&e.new) } else { format!("{} · {}", crate::sync::trust::fingerprint(&e.new), e.by) };
                                                    view! { <li>{tf(ctx.lang.get(), K::KnownEvent, &[format_time(e.at_ms), how(&e.how).to_string(), who])}</li> }
                                                }).collect_view()}</ul>
                                            </details>
                                        })}
                                    </td>
                                </tr>
                            }
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
            <div class="item-grid">
                <div class="card">
                    <h2>{ctx.t(K::KnownRosterTitle)}</h2>
                    <p class="muted small">{ctx.t(K::KnownRosterHint)}</p>
                    <div class="form-actions">
                        <button class="secondary" data-test="export-roster" on:click=export_roster>{ctx.t(K::KnownExportRoster)}</button>
                        <label class="button secondary file-button">{ctx.t(K::KnownImportRoster)}
                            <input type="file" accept=".json,application/json" data-test="import-roster" on:change=import_roster />
                        </label>
                    </div>
                </div>
                <div class="card">
                    <h2>{ctx.t(K::KnownRotateTitle)}</h2>
                    <p class="muted small">{ctx.t(K::KnownRotateHint)}</p>
                    <button class="secondary" data-test="rotate-key" on:click=move |_| asking_rotate.set(true)>{ctx.t(K::KnownRotate)}</button>
                    <ConfirmDialog open=asking_rotate message=K::KnownRotateConfirm confirm=K::KnownRotate on_confirm=rotate/>
                </div>
            </div>
        </section>
    }
}
