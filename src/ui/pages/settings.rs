//! Settings: this office, the operator's name, storage status.

use crate::domain::{ops, Office, OfficeLevel};
use crate::i18n::K;
use crate::ui::ctx;
use leptos::prelude::*;

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
                <p class="muted small">{move || match ctx.persisted.get() {
                    Some(true) => ctx.t(K::PersistGranted)(),
                    _ => ctx.t(K::PersistDenied)(),
                }}</p>
                {move || msg.get().map(|(ok, m)| view! { <p class:ok=ok class:field-error=!ok role="status">{m}</p> })}
                <div class="form-actions"><button type="submit" class="primary">{ctx.t(K::Save)}</button></div>
            </form>
        </section>
    }
}
