//! First run: set up this office, or load the demo registry.

use crate::domain::tx::BoxedAction;
use crate::domain::{demo, ops, Office, OfficeLevel};
use crate::i18n::K;
use crate::ui::{ctx, new_registry, Phase, Route};
use leptos::prelude::*;

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
            <div class="setup-cols">
                <form class="form setup-form" on:submit=move |ev| { ev.prevent_default(); create(()); }>
                    <h2>{ctx.t(K::SetupOffice)}</h2>
                    <label class="field">
                        <span class="label req">{ctx.t(K::FOfficeName)}</span>
                        <input type="text" name="office_name" placeholder="例：平原县委改革办" prop:value=move || name.get()
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
                        <input type="text" name="parent_office" placeholder="例：德州市委改革办" prop:value=move || parent.get()
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
                    <h2>{ctx.t(K::SetupDemo)}</h2>
                    <p class="muted">{ctx.t(K::SetupDemoHint)}</p>
                    <button class="secondary" data-test="load-demo" on:click=load_demo>{ctx.t(K::SetupDemo)}</button>
                </div>
            </div>
        </section>
    }
}
