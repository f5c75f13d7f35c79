//! Every open conflict, with both values, who wrote each and when; resolve by choosing one or
//! writing a new value (for a delete that raced an edit: confirm the delete or restore).

use crate::domain::labels::{field_label_in, record_name};
use crate::domain::ops;
use crate::i18n::{t, K};
use crate::sync::DELETED;
use crate::ui::{ctx, format_time, Route};
use leptos::prelude::*;
use serde_json::Value;

fn show(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Null => "—".into(),
        other => other.to_string(),
    }
}

#[component]
pub fn ConflictsPage() -> impl IntoView {
    let ctx = ctx();
    let error = RwSignal::new(None::<String>);
    let resolve = move |id: String, field: String, v: Value| match ctx.act(|tx| ops::resolve(tx, &id, &field, v)) {
        Ok(()) => error.set(None),
        Err(e) => error.set(Some(ctx.err(&e))),
    };
    move || {
        let lang = ctx.lang.get();
        let list = ctx
            .reg
            .with(|r| r.as_ref().map(|r| r.open_conflicts().into_iter().map(|(rec, fields)| (rec.clone(), fields)).collect::<Vec<_>>()).unwrap_or_default());
        view! {
            <section class="conflicts-page">
                <h1 class="sr-only">{ctx.t(K::NavConflicts)}</h1>
                <div class="card">
                    <h2>{t(lang, K::CfTitle)}</h2>
                    <p class="muted">{t(lang, K::CfIntro)}</p>
                    {move || error.get().map(|e| view! { <p class="field-error" role="alert">{e}</p> })}
                    {list.is_empty().then(|| view! { <p data-test="no-conflicts">{t(lang, K::CfNone)}</p> })}
                </div>
                {list.into_iter().map(|(rec, fields)| {
                    let title = record_name(&rec).map(str::to_string).unwrap_or_else(|| rec.id.clone());
                    let href = Route::Item(rec.id.clone()).href();
                    view! {
                        <div class="card conflict" data-test="conflict">
                            <h3><a href=href>{title}</a></h3>
                            {fields.into_iter().map(|f| {
                                if f == DELETED && rec.delete_raced_edit() {
                                    let (i1, i2) = (rec.id.clone(), rec.id.clone());
                                    return view! {
                                        <div class="conflict-field">
                                            <p>{t(lang, K::CfDeleteRace)}</p>
                                            <button class="danger" on:click=move |_| resolve(i1.clone(), DELETED.into(), Value::Bool(true))>{t(lang, K::CfConfirmDelete)}</button>
                                            " "
                                            <button class="secondary" data-test="restore" on:click=move |_| resolve(i2.clone(), DELETED.into(), Value::Bool(false))>{t(lang, K::CfRestore)}</button>
                                        </div>
                                    }.into_any();
                                }
                                let st = rec.fields[&f].clone();
                                let winner = st.winner().map(|e| e.dot.clone());
                                let is_text = st.entries.iter().all(|e| e.v.is_string());
                                let new_val = RwSignal::new(String::new());
                                let (rid, fname) = (rec.id.clone(), f.clone());
                                view! {
                                    <div class="conflict-field">
                                        <div class="label">{field_label_in(lang, &rec.coll, &f)}</div>
                                        <table class="table compact"><tbody>
                                            {st.entries.iter().map(|e| {
                                                let (rid, fname, v) = (rec.id.clone(), f.clone(), e.v.clone());
                                                let shown = Some(&e.dot) == winner.as_ref();
                                                view! { <tr data-test="conflict-value">
                                                    <td class="value">{show(&e.v)}{shown.then(|| view! { <span class="tag">{t(lang, K::CfShown)}</span> })}</td>
                                                    <td class="small muted">{ctx.office_name(&e.dot.office)}{(!e.by.is_empty()).then(|| crate::i18n::paren(ctx.lang.get(), &e.by))}<br/>{format_time(e.wall)}</td>
                                                    <td><button class="secondary" data-test="keep" on:click=move |_| resolve(rid.clone(), fname.clone(), v.clone())>{t(lang, K::CfKeep)}</button></td>
                                                </tr> }
                                            }).collect_view()}
                                        </tbody></table>
                                        {is_text.then(|| view! {
                                            <div class="inline-form">
                                                <input type="text" placeholder=t(lang, K::CfNewValue) prop:value=move || new_val.get() on:input=move |ev| new_val.set(event_target_value(&ev)) />
                                                <button class="secondary" on:click=move |_| resolve(rid.clone(), fname.clone(), Value::String(new_val.get_untracked()))>{t(lang, K::Save)}</button>
                                            </div>
                                        })}
                                    </div>
                                }.into_any()
                            }).collect_view()}
                        </div>
                    }
                }).collect_view()}
            </section>
        }
    }
}
