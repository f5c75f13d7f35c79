//! Settings: this office, the operator's name, backups, storage, and clearing this browser.

use crate::domain::{ops, Office, OfficeLevel};
use crate::i18n::{t, tf, K};
use crate::ui::context::{PREF_LANG, PREF_OPERATOR};
use crate::ui::{ctx, download, format_time, now_ms, random_seed, storage_estimate, Phase};
use leptos::prelude::*;
use leptos::task::spawn_local;

#[component]
pub fn SettingsPage() -> impl IntoView {
    let ctx = ctx();
    let office = ctx.reg.with_untracked(|r| r.as_ref().and_then(ops::my_office)).unwrap_or_default();
    let name = RwSignal::new(office.name.clone());
    let level = RwSignal::new(office.level);
    let parent = RwSignal::new(office.parent_name.clone());
    let msg = RwSignal::new(None::<(bool, String)>);
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let o = Office { name: name.get_untracked().trim().into(), level: level.get_untracked(), parent_name: parent.get_untracked().trim().into() };
        match ctx.act(|tx| ops::update_office(tx, &o)) {
            Ok(()) => msg.set(Some((true, crate::i18n::t(ctx.lang.get_untracked(), K::Saved).into()))),
            Err(e) => msg.set(Some((false, ctx.err(&e)))),
        }
    };
    view! {
        <section class="settings-page">
            <h1 class="sr-only">{ctx.t(K::NavSettings)}</h1>
            <form class="form card" on:submit=save>
                <h2>{ctx.t(K::OfficeInfo)}</h2>
                <label class="field"><span class="label req">{ctx.t(K::FOfficeName)}</span>
                    <input type="text" name="office_name" prop:value=move || name.get() on:input=move |ev| name.set(event_target_value(&ev)) /></label>
                <label class="field"><span class="label">{ctx.t(K::FOfficeLevel)}</span>
                    <select on:change=move |ev| if let Some(l) = OfficeLevel::from_code(&event_target_value(&ev)) { level.set(l) }>
                        {OfficeLevel::ALL.iter().map(|l| { let l = *l; view! { <option value=l.code() selected=move || level.get() == l>{ctx.t(l.label())}</option> } }).collect_view()}
                    </select></label>
                <label class="field"><span class="label">{ctx.t(K::FParentOffice)}</span>
                    <input type="text" prop:value=move || parent.get() on:input=move |ev| parent.set(event_target_value(&ev)) /></label>
                <label class="field"><span class="label">{ctx.t(K::FOperator)}</span>
                    <input type="text" name="operator" prop:value=move || ctx.operator.get() on:input=move |ev| ctx.operator.set(event_target_value(&ev)) /></label>
                <p class="muted small">{ctx.t(K::OfficeId)}": "<code>{move || ctx.reg.with(|r| r.as_ref().map(|r| r.office().to_string()).unwrap_or_default())}</code></p>
                {move || msg.get().map(|(ok, m)| view! { <p class:ok=ok class:field-error=!ok role="status">{m}</p> })}
                <div class="form-actions"><button type="submit" class="primary">{ctx.t(K::Save)}</button></div>
            </form>
            <BackupCard/>
            <StorageCard/>
            <ResetCard/>
        </section>
    }
}

/// The settings a backup carries besides the registry.
pub fn settings_of(ctx: crate::ui::Ctx) -> std::collections::BTreeMap<String, String> {
    let lang = if ctx.lang.get_untracked() == crate::i18n::Lang::En { "en" } else { "zh" };
    std::collections::BTreeMap::from([(PREF_OPERATOR.to_string(), ctx.operator.get_untracked()), (PREF_LANG.to_string(), lang.to_string())])
}

#[component]
fn BackupCard() -> impl IntoView {
    let ctx = ctx();
    let pass = RwSignal::new(String::new());
    let pass2 = RwSignal::new(String::new());
    let msg = RwSignal::new(None::<(bool, String)>);
    let last = move || ctx.reg.with(|r| r.as_ref().map(|r| r.backed_up.at_ms).unwrap_or(0));
    let make = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let lang = ctx.lang.get_untracked();
        if pass.get_untracked() != pass2.get_untracked() {
            return msg.set(Some((false, t(lang, K::BkPassMismatch).into())));
        }
        msg.set(Some((true, t(lang, K::BkWorking).into())));
        spawn_local(async move {
            crate::ui::yield_now().await;
            let seed = random_seed();
            let salt_nonce: [u8; 28] = seed[..28].try_into().expect("28 bytes");
            match ctx.session().backup(&pass.get_untracked(), &salt_nonce, settings_of(ctx), now_ms()).await {
                Ok(f) => {
                    download(&f.name, &f.text);
                    ctx.flush();
                    pass.set(String::new());
                    pass2.set(String::new());
                    msg.set(Some((true, tf(lang, K::BkMade, &[f.name, f.changes.to_string()]))));
                }
                Err(e) => msg.set(Some((false, e.message(lang)))),
            }
        });
    };
    view! {
        <form class="form card" id="backup" on:submit=make>
            <h2>{ctx.t(K::BkTitle)}</h2>
            <p class="muted small">{ctx.t(K::BkHint)}</p>
            <p class="small" data-test="last-backup">{move || if last() > 0 { tf(ctx.lang.get(), K::BkLast, &[format_time(last())]) } else { ctx.t(K::BkNever)().to_string() }}</p>
            <label class="field"><span class="label">{ctx.t(K::BkPass)}</span>
                <input type="password" name="backup_pass" autocomplete="new-password" prop:value=move || pass.get() on:input=move |ev| pass.set(event_target_value(&ev)) /></label>
            <label class="field"><span class="label">{ctx.t(K::BkPass2)}</span>
                <input type="password" name="backup_pass2" autocomplete="new-password" prop:value=move || pass2.get() on:input=move |ev| pass2.set(event_target_value(&ev)) /></label>
            {move || msg.get().map(|(ok, m)| view! { <p class:ok=ok class:field-error=!ok role="status" data-test="backup-message">{m}</p> })}
            <div class="form-actions"><button type="submit" class="primary" data-test="make-backup">{ctx.t(K::BkDownload)}</button></div>
        </form>
    }
}

#[component]
fn StorageCard() -> impl IntoView {
    let ctx = ctx();
    let estimate = RwSignal::new(None::<(f64, f64)>);
    spawn_local(async move { estimate.set(storage_estimate().await) });
    let mb = |b: f64| format!("{:.1}", b / 1_048_576.0);
    view! {
        <div class="card">
            <h2>{ctx.t(K::StorageTitle)}</h2>
            {move || match ctx.persisted.get() {
                Some(true) => view! { <p class="ok small" data-test="persisted">{ctx.t(K::PersistGranted)}</p> }.into_any(),
                _ => view! { <p class="banner warn" role="status" data-test="persisted">{ctx.t(K::PersistDenied)}<br/>{ctx.t(K::PersistExplain)}</p> }.into_any(),
            }}
            {move || estimate.get().map(|(u, q)| view! { <p class="muted small" data-test="storage-use">{tf(ctx.lang.get(), K::StorageUse, &[mb(u), mb(q)])}</p> })}
        </div>
    }
}

#[component]
fn ResetCard() -> impl IntoView {
    let ctx = ctx();
    let typed = RwSignal::new(String::new());
    let name = move || ctx.reg.with(|r| r.as_ref().and_then(ops::my_office).map(|o| o.name).unwrap_or_default());
    let reset = move |_| {
        if typed.get_untracked().trim() != name() {
            return;
        }
        spawn_local(async move {
            let lang = ctx.lang.get_untracked();
            match ctx.session().reset().await {
                Ok(()) => {
                    ctx.reg.set(None);
                    ctx.save.set(crate::ui::SaveState::Saved);
                    ctx.phase.set(Phase::Setup);
                    let _ = window().alert_with_message(t(lang, K::ResetDone));
                }
                Err(e) => ctx.save.set(crate::ui::SaveState::Failed(e.message(lang), 0)),
            }
        });
    };
    view! {
        <div class="card danger-zone">
            <h2>{ctx.t(K::ResetTitle)}</h2>
            <p class="muted small">{move || tf(ctx.lang.get(), K::ResetHint, &[name()])}</p>
            <p class="small"><a href="#/settings" on:click=move |_| { let _ = window().location().set_hash("#/settings"); if let Some(el) = document().get_element_by_id("backup") { el.scroll_into_view(); } }>{ctx.t(K::BkDownload)}" ↑"</a></p>
            <label class="field"><span class="label">{ctx.t(K::ResetConfirm)}</span>
                <input type="text" name="reset_confirm" autocomplete="off" prop:value=move || typed.get() on:input=move |ev| typed.set(event_target_value(&ev)) /></label>
            <div class="form-actions"><button class="danger" data-test="reset" prop:disabled=move || typed.get().trim() != name() on:click=reset>{ctx.t(K::ResetDo)}</button></div>
        </div>
    }
}
