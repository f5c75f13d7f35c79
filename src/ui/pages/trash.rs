//! 回收站: deleted records, who deleted them and when; this office restores its own
//! (`ops::deleted`, `ops::undelete`).

use crate::domain::ops;
use crate::i18n::{tf, K};
use crate::ui::{ctx, format_time};
use leptos::prelude::*;

#[component]
pub fn TrashPage() -> impl IntoView {
    let ctx = ctx();
    let rows = Memo::new(move |_| ctx.reg.with(|r| r.as_ref().map(ops::deleted).unwrap_or_default()));
    let msg = RwSignal::new(None::<(bool, String)>);
    let restore = move |id: String, name: String| match ctx.act(|tx| ops::undelete(tx, &id)) {
        Ok(()) => msg.set(Some((true, tf(ctx.lang.get_untracked(), K::TrashRestored, &[name])))),
        Err(e) => msg.set(Some((false, ctx.err(&e)))),
    };
    view! {
        <section class="trash-page card">
            <h1>{ctx.t(K::TrashTitle)}</h1>
            <p class="muted small">{ctx.t(K::TrashHint)}</p>
            {move || msg.get().map(|(ok, m)| view! { <p class:ok=ok class:field-error=!ok role="status" data-test="trash-message">{m}</p> })}
            {move || rows.with(|r| r.is_empty()).then(|| view! { <p class="muted">{ctx.t(K::TrashNone)}</p> })}
            <table class="table" data-test="trash">
                <thead><tr>
                    <th scope="col">{ctx.t(K::TrashColName)}</th>
                    <th scope="col">{ctx.t(K::TrashColBy)}</th>
                    <th scope="col">{ctx.t(K::TrashColWhen)}</th>
                    <th scope="col"><span class="sr-only">{ctx.t(K::Actions)}</span></th>
                </tr></thead>
                <tbody>
                    {move || rows.get().into_iter().map(|d| {
                        let (id, name) = (d.id.clone(), d.name.clone());
                        view! {
                            <tr data-test="trash-row">
                                <td>{d.name.clone()}</td>
                                <td class="small">{if d.by.is_empty() { d.office.clone() } else { format!("{}{}", d.by, crate::i18n::paren(ctx.lang.get(), &d.office)) }}</td>
                                <td class="small">{format_time(d.at_ms)}</td>
                                <td>{if d.mine {
                                    view! { <button class="secondary" data-test="undelete" on:click=move |_| restore(id.clone(), name.clone())>{ctx.t(K::TrashRestore)}</button> }.into_any()
                                } else {
                                    view! { <span class="muted small">{ctx.t(K::TrashOthers)}</span> }.into_any()
                                }}</td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </section>
    }
}
