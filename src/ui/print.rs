//! The head a printed list carries (hidden on screen): the office's name in red over a rule, the
//! list's title and the day it was printed. Page numbers come from the print style (@page).

use crate::domain::document;
use crate::ui::{ctx, today};
use leptos::prelude::*;

#[component]
pub fn PrintHead(#[prop(into)] title: Signal<String>) -> impl IntoView {
    let ctx = ctx();
    let office = move || ctx.my_office_name();
    view! {
        <div class="print-head list-print-head" data-test="print-head">
            <div class="paper-head">{office}</div>
            <hr class="paper-rule"/>
            <div class="print-title">{title}</div>
            <div class="print-date">{move || document::date_long(ctx.lang.get(), today())}</div>
        </div>
    }
}
