//! Asking before an action that cannot be taken back, in a modal `<dialog>` in the app's own
//! look and language instead of the browser's confirm(): the browser keeps focus inside it,
//! Escape cancels, and the page behind cannot be clicked while it is open.

use crate::i18n::K;
use crate::ui::ctx;
use leptos::html::Dialog;
use leptos::prelude::*;

/// Shown while `open` is true. "Cancel" has the focus, so Enter alone never confirms.
#[component]
pub fn ConfirmDialog(open: RwSignal<bool>, message: K, confirm: K, on_confirm: Callback<()>) -> impl IntoView {
    let ctx = ctx();
    let node = NodeRef::<Dialog>::new();
    let cancel = NodeRef::<leptos::html::Button>::new();
    Effect::new(move |_| {
        let want = open.get();
        let Some(d) = node.get() else { return };
        if want && !d.open() {
            let _ = d.show_modal();
            if let Some(b) = cancel.get() {
                let _ = b.focus();
            }
        } else if !want && d.open() {
            d.close();
        }
    });
    let id = format!("dialog-{}", message as usize);
    let label = id.clone();
    view! {
        <dialog node_ref=node class="confirm-dialog no-print" aria-labelledby=label data-test="confirm-dialog"
            on:close=move |_| open.set(false)>
            <p id=id>{ctx.t(message)}</p>
            <div class="dialog-actions">
                <button type="button" class="danger" data-test="dialog-confirm" on:click=move |_| {
                    open.set(false);
                    on_confirm.run(());
                }>{ctx.t(confirm)}</button>
                <button type="button" class="secondary" node_ref=cancel data-test="dialog-cancel" on:click=move |_| open.set(false)>{ctx.t(K::Cancel)}</button>
            </div>
        </dialog>
    }
}
