//! First run: set up this office, or load the demo registry.

use crate::domain::tx::BoxedAction;
use crate::domain::{demo, ops, Office, OfficeLevel};
use crate::i18n::K;
use crate::ui::context::{PREF_LANG, PREF_OPERATOR};
use crate::ui::{ctx, new_registry, random_suffix, Phase, Route};
use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen_futures::JsFuture;

/// 从备份恢复: the office comes back as itself (app::backup).
#[component]
fn RestoreForm() -> impl IntoView {
    let ctx = ctx();
    let file = RwSignal::new(None::<web_sys::File>);
    let pass = RwSignal::new(String::new());
    let msg = RwSignal::new(None::<(bool, String)>);
    let restore = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some(f) = file.get_untracked() else { return };
        let lang = ctx.lang.get_untracked();
        msg.set(Some((true, crate::i18n::t(lang, K::BkWorking).into())));
        spawn_local(async move {
            crate::ui::yield_now().await;
            let text = JsFuture::from(f.text()).await.ok().and_then(|v| v.as_string()).unwrap_or_default();
            match ctx.session().restore(&text, &pass.get_untracked(), &random_suffix()).await {
                Ok(r) => {
                    if let Some(op) = r.settings.get(PREF_OPERATOR) {
                        ctx.operator.set(op.clone());
                    }
                    if let Some(l) = r.settings.get(PREF_LANG) {
                        ctx.lang.set(if l == "en" { crate::i18n::Lang::En } else { crate::i18n::Lang::Zh });
                    }
                    ctx.flush();
                    let _ = window().alert_with_message(&crate::i18n::tf(lang, K::BkRestored, &[r.name, r.made_at_text, r.changes.to_string()]));
                    ctx.phase.set(Phase::Ready);
                    ctx.go(Route::List);
                }
                Err(e) => msg.set(Some((false, e.message(lang)))),
            }
        });
    };
    view! {
        <form class="restore-form" on:submit=restore>
            <h2>{ctx.t(K::BkRestoreTitle)}</h2>
            <p class="muted">{ctx.t(K::BkRestoreHint)}</p>
            <label class="field"><span class="label">{ctx.t(K::BkRestoreFile)}</span>
                <input type="file" accept=".json,application/json" data-test="restore-file"
                    on:change=move |ev| { let i: web_sys::HtmlInputElement = event_target(&ev); file.set(i.files().and_then(|l| l.get(0))); msg.set(None); } /></label>
            <label class="field"><span class="label">{ctx.t(K::BkPass)}</span>
                <input type="password" name="restore_pass" autocomplete="current-password" prop:value=move || pass.get() on:input=move |ev| { pass.set(event_target_value(&ev)); msg.set(None); } /></label>
            {move || msg.get().map(|(ok, m)| view! { <p class:muted=ok class:field-error=!ok role="status" data-test="restore-message">{m}</p> })}
            <button type="submit" class="secondary" data-test="restore" prop:disabled=move || file.with(|f| f.is_none())>{ctx.t(K::BkRestore)}</button>
        </form>
    }
}

#[component]
pub fn SetupPage() -> impl IntoView {
    let ctx = ctx();
    let name = RwSignal::new(String::new());
    let level = RwSignal::new(OfficeLevel::County);
    let parent = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);

    // The office's registry starts empty; its first change records the office itself.
    let begin = move |f: BoxedAction| match ctx.start(new_registry(), f) {
        Ok(()) => {
            ctx.phase.set(Phase::Ready);
            ctx.go(Route::List);
        }
        Err(e) => error.set(Some(ctx.err(&e))),
    };

    let create = move |_| {
        let office =
            Office { name: name.get_untracked().trim().to_string(), level: level.get_untracked(), parent_name: parent.get_untracked().trim().to_string() };
        begin(Box::new(move |tx| ops::setup_office(tx, &office)));
    };

    let load_demo = move |_| begin(Box::new(demo::build_demo));

    view! {
        <section class="setup card">
            <h1>{ctx.t(K::SetupTitle)}</h1>
            <p class="intro">{ctx.t(K::SetupIntro)}</p>
            <p class="muted small">{ctx.t(K::PersistExplain)}</p>
            <div class="setup-cols">
                <form class="form setup-form" on:submit=move |ev| { ev.prevent_default(); create(()); }>
                    <h2>{ctx.t(K::SetupOffice)}</h2>
                    <label class="field">
                        <span class="label req">{ctx.t(K::FOfficeName)}</span>
                        <input type="text" name="office_name" placeholder=ctx.t(K::PhOfficeName) prop:value=move || name.get()
                            on:input=move |ev| { name.set(event_target_value(&ev)); error.set(None); } />
                    </label>
                    <label class="field">
                        <span class="label">{ctx.t(K::FOfficeLevel)}</span>
                        <select name="office_level" on:change=move |ev| if let Some(l) = OfficeLevel::from_code(&event_target_value(&ev)) { level.set(l) }>
                            {OfficeLevel::ALL.iter().map(|l| {
                                let l = *l;
                                view! { <option value=l.code() selected=move || level.get() == l>{ctx.t(l.label())}</option> }
                            }).collect_view()}
                        </select>
                    </label>
                    <label class="field">
                        <span class="label">{ctx.t(K::FParentOffice)}</span>
                        <input type="text" name="parent_office" placeholder=ctx.t(K::PhParentOffice) prop:value=move || parent.get()
                            on:input=move |ev| parent.set(event_target_value(&ev)) />
                    </label>
                    <label class="field">
                        <span class="label">{ctx.t(K::FOperator)}</span>
                        <input type="text" name="operator" prop:value=move || ctx.operator.get()
                            on:input=move |ev| ctx.operator.set(event_target_value(&ev)) />
                    </label>
                    {move || error.get().map(|e| view! { <p class="field-error" role="alert">{e}</p> })}
                    <button type="submit" class="primary" data-test="create-office">{ctx.t(K::SetupCreate)}</button>
                </form>
                <div class="setup-demo">
                    <RestoreForm/>
                    <h2>{ctx.t(K::SetupDemo)}</h2>
                    <p class="muted">{ctx.t(K::SetupDemoHint)}</p>
                    <button class="secondary" data-test="load-demo" on:click=load_demo>{ctx.t(K::SetupDemo)}</button>
                </div>
            </div>
        </section>
    }
}
